using TsdSr.Core.SafeTensors;
using TsdSr.Models.Lora;
using TsdSr.Models.Transformers;
using TsdSr.Tests.Models.Transformers;
using TsdSr.Tests.TestSupport;
using Xunit.Abstractions;

namespace TsdSr.Tests.Models.Lora;

/// <summary>
/// The diffusers-saved LoRA of <c>sd3_lora_tiny</c> (r = 4, α = 8 from the header metadata) on
/// <c>sd3_transformer_tiny</c>: runtime and merged outputs at scale 1 and 0.5 against the fixture, exact unmerge.
/// </summary>
public class LoraFixtureTests(ITestOutputHelper output)
{
    private static SD3Transformer2DModel LoadTransformer() =>
        SD3Transformer2DModel.FromPretrained(FixturePaths.Get("sd3_transformer_tiny"));

    private static LoraLoadReport LoadLora(SD3Transformer2DModel model) =>
        LoraFile.Load(model, FixturePaths.Get("sd3_lora_tiny", "pytorch_lora_weights.safetensors"), "default");

    private static Tensor Run(SD3Transformer2DModel model, Dictionary<string, Tensor> io)
    {
        using var noGrad = no_grad();
        return model.forward(io["hidden_states"], io["encoder_hidden_states"], io["pooled_projections"], io["timestep"]);
    }

    [Fact]
    public void Lora_file_loads_23_modules_with_alpha_8_from_the_header_metadata()
    {
        using var model = LoadTransformer();
        var report = LoadLora(model);
        report.IsExact.Should().BeTrue();
        report.Ignored.Should().BeEmpty();
        report.AlphaSource.Should().Be(LoraAlphaSource.Metadata);
        report.Modules.Should().HaveCount(23).And.Contain("transformer_blocks.1.attn.to_add_out").And.NotContain("transformer_blocks.2.attn.to_add_out");
        LoraAdapters.Layers(model).Where(l => l.Layer.HasAdapter("default"))
            .Should().HaveCount(23).And.OnlyContain(l => l.Layer.GetSettings("default").Rank == 4 && l.Layer.GetSettings("default").Scaling == 2);
    }

    [Theory]
    [InlineData("io.safetensors")]
    [InlineData("io_nonsquare.safetensors")]
    public void Runtime_and_merged_lora_outputs_match_the_fixture_at_scale_1_and_0_5(string file)
    {
        var io = SafetensorsFile.LoadAll(FixturePaths.Get("sd3_lora_tiny", file));
        using var model = LoadTransformer();
        LoadLora(model);
        try
        {
            foreach (var (scale, expectedName) in new[] { (1.0, "sample_with_lora"), (0.5, "sample_with_lora_scale_0_5") })
            {
                LoraAdapters.SetScale(model, "default", scale);
                using var runtime = Run(model, io);
                LoraAdapters.Merge(model);
                using var merged = Run(model, io);
                LoraAdapters.Unmerge(model);

                var runtimeError = TensorAssert.MaxAbsDiff(runtime, io[expectedName]);
                var mergedError = TensorAssert.MaxAbsDiff(merged, io[expectedName]);
                // The whole transformer runs, so the end-to-end bar applies (measured ≤ 1.07e-5 at max 4.1, AMD EPYC).
                double bar = TransformerTolerances.EndToEnd(io[expectedName]);
                output.WriteLine($"{file} {expectedName}: runtime max|Δ| = {runtimeError:E2}, merged max|Δ| = {mergedError:E2}, bar {bar:E2}");
                runtimeError.Should().BeLessThanOrEqualTo(bar, $"runtime, scale {scale}");
                mergedError.Should().BeLessThanOrEqualTo(bar, $"merged, scale {scale}");
            }

            LoraAdapters.Disable(model);
            using var baseOut = Run(model, io);
            var baseError = TensorAssert.MaxAbsDiff(baseOut, io["sample"]);
            output.WriteLine($"{file} sample (adapters disabled): max|Δ| = {baseError:E2}");
            baseError.Should().BeLessThanOrEqualTo(TransformerTolerances.EndToEnd(io["sample"]));
        }
        finally
        {
            foreach (var t in io.Values)
            {
                t.Dispose();
            }
        }
    }

    [Fact]
    public void Merging_then_unmerging_restores_every_base_weight_bit_for_bit()
    {
        using var model = LoadTransformer();
        var before = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        LoadLora(model);
        LoraAdapters.SetScale(model, "default", 0.5);
        LoraAdapters.Merge(model);
        var changed = before.Count(kv => !model.state_dict()[kv.Key].SameAs(kv.Value));
        changed.Should().Be(23, "exactly the 23 adapted weights change when merged");

        LoraAdapters.Unmerge(model);
        foreach (var (key, value) in before)
        {
            model.state_dict()[key].SameAs(value).Should().BeTrue(key);
            value.Dispose();
        }
    }
}
