using BenchmarkDotNet.Attributes;
using TsdSr.Inference;
using TsdSr.Inference.Pipeline;
using static TorchSharp.torch;

namespace TsdSr.Benchmarks.Inference;

/// <summary>
/// TSD-SR-nano 128→512 on the CPU in fp32, the speed target (≤ 1 s per image on a 2-core CPU): the whole
/// upscale (preprocessing, VAE encode with its LoRA, one transformer pass with the student LoRA, decode, wavelet colour
/// fix) and each model stage alone, with the LoRA applied at run time or merged at load. Uses the bundled model when the
/// benchmark's output folder has it (tsdsr-nano/), else random weights of the same sizes (speed does not depend on the
/// values).
/// </summary>
[MemoryDiagnoser]
public class NanoUpscaleBenchmarks : UpscaleStageBenchmarks
{
    /// <summary>Whether the LoRA is merged into the base weights at load (one matmul per layer instead of three).</summary>
    [Params(false, true)]
    public bool MergeLora { get; set; }

    /// <summary>Loads or builds the pipeline once per setting.</summary>
    [GlobalSetup]
    public void Setup()
    {
        BenchmarkSetup.ConfigureTorch();
        var bundled = BundledModel.TryFind();
        var pipeline = bundled is not null
            ? TsdSrPipeline.Load(bundled, new TsdSrPipelineOptions { Device = "cpu", MergeLora = MergeLora })
            : RandomTsdSrModels.CreateNano(MergeLora).Pipeline;
        Console.WriteLine(bundled is not null ? $"// TSD-SR-nano from {bundled.ModelDirectory}" : "// random weights of the nano sizes");
        var (transformer, vae) = RandomTsdSrModels.CreateNanoModels(MergeLora);
        Use(pipeline, transformer, vae, ownModels: true, ScalarType.Float32, promptTokens: 8);
    }
}
