using TsdSr.Core.SafeTensors;
using TsdSr.Models.Lora;
using TsdSr.Models.Transformers;
using TsdSr.Tests.TestSupport;
using Xunit.Abstractions;

namespace TsdSr.Tests.Models.Lora;

/// <summary>
/// The TSD-SR-format transformer LoRA of <c>tsdsr_pipeline_tiny</c> (every key prefixed <c>transformer.</c>, no
/// metadata, α = r = 4; conv LoRA on <c>pos_embed.proj</c>) on that fixture's tiny transformer: one tiled transformer
/// call of case b against the stored <c>v_tile_first</c> / <c>v_tile_last</c>.
/// </summary>
public class TsdSrLoraFileFixtureTests(ITestOutputHelper output)
{
    private const string Fixture = "tsdsr_pipeline_tiny";

    // The fixture README's unmerged-vs-merged column for v is up to 4.6e-5 over the whole blended latent.
    private const double Tolerance = 5e-5;

    [Fact]
    public void Tsdsr_transformer_lora_loads_24_modules_with_alpha_equal_to_rank()
    {
        using var model = SD3Transformer2DModel.FromPretrained(FixturePaths.Get(Fixture, "transformer"));
        var report = LoraFile.Load(model, FixturePaths.Get(Fixture, "lora", "transformer.safetensors"), "default");
        report.IsExact.Should().BeTrue();
        report.AlphaSource.Should().Be(LoraAlphaSource.Rank);
        report.Modules.Should().HaveCount(24).And.Contain("pos_embed.proj").And.Contain("norm_out.linear").And.Contain("proj_out");
        LoraAdapters.Layers(model).Where(l => l.Layer.HasAdapter("default")).Should().OnlyContain(l => l.Layer.GetSettings("default").Scaling == 1);
        var added = LoraAdapters.Add(model, "student", LoraConfig.TsdSrTransformer with { Rank = 4, Alpha = 4 }, activate: false);
        added.Should().BeEquivalentTo(report.Modules, "TSD-SR's target list selects exactly the layers of its file");
    }

    [Theory]
    [InlineData(0, "v_tile_first")]
    [InlineData(11, "v_tile_last")]
    public void Tiled_transformer_call_with_the_tsdsr_lora_matches_the_reference_unmerged_and_merged(int tile, string expectedName)
    {
        var tensors = SafetensorsFile.LoadAll(FixturePaths.Get(Fixture, "case_b_tiled", "tensors.safetensors"));
        var embeddings = SafetensorsFile.LoadAll(FixturePaths.Get(Fixture, "embeddings", "embeddings.safetensors"));
        try
        {
            using var model = SD3Transformer2DModel.FromPretrained(FixturePaths.Get(Fixture, "transformer"));
            LoraFile.Load(model, FixturePaths.Get(Fixture, "lora", "transformer.safetensors"), "default");
            var y0 = tensors["tile_offsets"][tile, 0].item<long>();
            var x0 = tensors["tile_offsets"][tile, 1].item<long>();
            using var latentTile = tensors["latent"].narrow(2, y0, 32).narrow(3, x0, 32).contiguous();
            using var timestep = tensor(new[] { 1000f });

            Tensor Run()
            {
                using var noGrad = no_grad();
                return model.forward(latentTile, embeddings["prompt_embeds"], embeddings["pooled_prompt_embeds"], timestep);
            }

            using var runtime = Run();
            LoraAdapters.Merge(model);
            using var merged = Run();

            var runtimeError = TensorAssert.MaxAbsDiff(runtime, tensors[expectedName]);
            var mergedError = TensorAssert.MaxAbsDiff(merged, tensors[expectedName]);
            output.WriteLine($"{expectedName} (tile at {y0},{x0}): runtime max|Δ| = {runtimeError:E2}, merged max|Δ| = {mergedError:E2}");
            runtimeError.Should().BeLessThanOrEqualTo(Tolerance);
            mergedError.Should().BeLessThanOrEqualTo(Tolerance);
        }
        finally
        {
            foreach (var t in tensors.Values.Concat(embeddings.Values))
            {
                t.Dispose();
            }
        }
    }
}
