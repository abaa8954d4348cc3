using BenchmarkDotNet.Attributes;
using TsdSr.Inference.ColorFix;
using static TorchSharp.torch;

namespace TsdSr.Benchmarks.Inference;

/// <summary>
/// TSD-SR 128→512 on the CPU with SD3-medium-sized random weights and runtime r = 64 LoRA, fp32 and bf16: the whole
/// upscale and each stage alone (VAE encode of the 512² input, the one transformer pass on the 64² latent, VAE decode,
/// wavelet colour fix). Needs ~12 GB of RAM and minutes per iteration. TSDSR_BENCH_TINY=1 swaps in the tiny test
/// configs for a smoke run.
/// </summary>
[MemoryDiagnoser]
public class UpscaleBenchmarks : UpscaleStageBenchmarks
{
    private Tensor image01 = null!;

    /// <summary>Weight and compute dtype of both models.</summary>
    [Params(ScalarType.Float32, ScalarType.BFloat16)]
    public ScalarType DType { get; set; }

    /// <summary>Builds the random models once per dtype.</summary>
    [GlobalSetup]
    public void Setup()
    {
        BenchmarkSetup.ConfigureTorch();
        bool tiny = Environment.GetEnvironmentVariable("TSDSR_BENCH_TINY") == "1";
        var (pipeline, transformer, vae) = RandomTsdSrModels.Create(DType, tiny);
        Use(pipeline, transformer, vae, ownModels: false, DType, promptTokens: tiny ? 7 : 333);
        image01 = rand(1, 3, 512, 512);
    }

    /// <summary>Wavelet colour fix of a 512×512 image (always fp32, as the reference's 8-bit round trip implies).</summary>
    [Benchmark]
    public void ColorFix()
    {
        using var mode = inference_mode();
        using var result = WaveletColorFix.Apply(image01, image01);
    }

    /// <summary>Frees the models and the colour-fix input.</summary>
    public override void Cleanup()
    {
        image01.Dispose();
        base.Cleanup();
    }
}
