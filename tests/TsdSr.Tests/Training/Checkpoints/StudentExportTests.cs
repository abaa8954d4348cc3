using TsdSr.Core.SafeTensors;
using TsdSr.Models.Autoencoders;
using TsdSr.Models.Lora;
using TsdSr.Models.Transformers;
using TsdSr.Training.Checkpoints;

namespace TsdSr.Tests.Training.Checkpoints;

public sealed class StudentExportTests : IDisposable
{
    private readonly string dir = TrainingTestSupport.TempDir();

    [Fact]
    public void Export_writes_tsdsr_format_files_that_load_back_into_fresh_models()
    {
        using var transformer = TrainingTestSupport.TinyTransformer();
        TrainingTestSupport.RandomizeAdapter(transformer, "default", 21);
        using var vae = new AutoencoderKL(AutoencoderKLConfig.Tiny);
        LoraAdapters.Add(vae, "default", LoraConfig.TsdSrVaeEncoder with { Rank = 2, Alpha = 2 });
        TrainingTestSupport.RandomizeAdapter(vae, "default", 22);

        StudentExport.Save(dir, transformer, "default", vae, "default");

        foreach (var file in new[] { StudentExport.TransformerFileName, StudentExport.VaeFileName })
        {
            using var st = SafetensorsFile.Open(Path.Combine(dir, file));
            st.Tensors.Keys.Should().OnlyContain(k => k.StartsWith("transformer.", StringComparison.Ordinal), file);
            st.Tensors.Keys.Should().OnlyContain(k => k.EndsWith(".lora_A.weight", StringComparison.Ordinal) || k.EndsWith(".lora_B.weight", StringComparison.Ordinal));
            st.Tensors.Keys.Should().NotContain(k => k.Contains(".default.", StringComparison.Ordinal) || k.Contains(".reg.", StringComparison.Ordinal));
        }

        using var freshT = new SD3Transformer2DModel(SD3TransformerConfig.Tiny);
        using var freshV = new AutoencoderKL(AutoencoderKLConfig.Tiny);
        LoraFile.Load(freshT, Path.Combine(dir, StudentExport.TransformerFileName), "default");
        LoraFile.Load(freshV, Path.Combine(dir, StudentExport.VaeFileName), "default");
        Same(LoraAdapters.StateDict(freshT, "default"), LoraAdapters.StateDict(transformer, "default"));
        Same(LoraAdapters.StateDict(freshV, "default"), LoraAdapters.StateDict(vae, "default"));
        LoraAdapters.Layers(freshT).Where(l => l.Layer.HasAdapter("default")).Should().OnlyContain(l => l.Layer.GetSettings("default").Alpha == 4);
    }

    private static void Same(Dictionary<string, Tensor> actual, Dictionary<string, Tensor> expected)
    {
        actual.Keys.Should().BeEquivalentTo(expected.Keys);
        foreach (var (k, v) in expected)
        {
            TrainingTestSupport.ExactlyEqual(actual[k], v).Should().BeTrue(k);
        }
    }

    public void Dispose() => TrainingTestSupport.DeleteDir(dir);
}
