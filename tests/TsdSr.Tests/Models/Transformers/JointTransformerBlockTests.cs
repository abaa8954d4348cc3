using TsdSr.Models.Embeddings;
using TsdSr.Models.Normalization;
using TsdSr.Models.Transformers;
using TsdSr.Tests.TestSupport;
using Xunit.Abstractions;

namespace TsdSr.Tests.Models.Transformers;

/// <summary>
/// Each stage, fed diffusers' own intermediates, reproduces diffusers' next intermediate: this checks the timestep/text
/// MLPs, every block and the output norm in isolation, without error carried over from earlier stages (end to end, the
/// fixture's fp32 timestep sinusoid differs from libtorch 2.10's by up to 2.9e-5, which dominates the sample error).
/// </summary>
public class JointTransformerBlockTests(ITestOutputHelper output)
{
    private const double Tolerance = TransformerTolerances.StageFed;

    [Theory]
    [InlineData("sd3_transformer_tiny", "io.safetensors")]
    [InlineData("sd3_transformer_tiny", "io_nonsquare.safetensors")]
    [InlineData("sd35_transformer_tiny", "io.safetensors")]
    [InlineData("sd35_transformer_tiny", "io_nonsquare.safetensors")]
    public void Every_block_maps_the_golden_inputs_to_the_golden_outputs(string fixture, string file)
    {
        using var model = SD3Transformer2DModel.FromPretrained(TransformerFixtureIo.Directory(fixture));
        using var io = TransformerFixtureIo.Load(fixture, file);
        var golden = io.Intermediates;
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var temb = golden[SD3TransformerIntermediates.Temb];
        var x = golden[SD3TransformerIntermediates.PatchEmbed];
        var c = golden[SD3TransformerIntermediates.ContextEmbed];
        var errors = new Dictionary<string, double>();

        var timeEmbedding = (TimestepEmbedding)modules["time_text_embed.timestep_embedder"];
        var textEmbedding = (PixArtAlphaTextProjection)modules["time_text_embed.text_embedder"];
        var tembFromGoldenSinusoid = timeEmbedding.call(golden[SD3TransformerIntermediates.TimestepProj]) + textEmbedding.call(io.PooledProjections);
        errors["temb"] = TensorAssert.MaxAbsDiff(tembFromGoldenSinusoid, temb);

        for (int i = 0; i < model.Config.NumLayers; i++)
        {
            var block = (JointTransformerBlock)modules[$"transformer_blocks.{i}"];
            var (nextC, nextX) = block.forward(x, c, temb);
            x = golden[SD3TransformerIntermediates.BlockHiddenStates(i)];
            errors[$"block_{i}.hidden_states"] = TensorAssert.MaxAbsDiff(nextX, x);
            if (nextC is not null)
            {
                c = golden[SD3TransformerIntermediates.BlockEncoderHiddenStates(i)];
                errors[$"block_{i}.encoder_hidden_states"] = TensorAssert.MaxAbsDiff(nextC, c);
            }
        }

        var normOut = ((AdaLayerNormContinuous)modules["norm_out"]).forward(x, temb);
        errors["norm_out"] = TensorAssert.MaxAbsDiff(normOut, golden[SD3TransformerIntermediates.NormOut]);

        foreach (var (name, error) in errors)
        {
            output.WriteLine($"{fixture}/{file} {name} (from golden inputs): max abs error {error:E2}");
        }

        errors.Should().OnlyContain(e => e.Value <= Tolerance);
    }
}
