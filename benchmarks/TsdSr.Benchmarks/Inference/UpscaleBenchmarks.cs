using BenchmarkDotNet.Attributes;
using TsdSr.Imaging;
using TsdSr.Inference;
using TsdSr.Inference.ColorFix;
using TsdSr.Inference.Pipeline;
using TsdSr.Models.Autoencoders;
using TsdSr.Models.Transformers;
using static TorchSharp.torch;

namespace TsdSr.Benchmarks.Inference;

/// <summary>
/// TSD-SR 128→512 on the CPU with SD3-medium-sized random weights and runtime r = 64 LoRA, fp32 and bf16: the whole
/// upscale and each stage alone (VAE encode of the 512² input, the one transformer pass on the 64² latent, VAE decode,
/// wavelet colour fix). Needs ~12 GB of RAM and minutes per iteration. TSDSR_BENCH_TINY=1 swaps in the tiny test
/// configs for a smoke run.
/// </summary>
[MemoryDiagnoser]
public class UpscaleBenchmarks
{
    private TsdSrPipeline pipeline = null!;
    private SD3Transformer2DModel transformer = null!;
    private AutoencoderKL vae = null!;
    private RgbImage input = null!;
    private Tensor pixels = null!;
    private Tensor latent = null!;
    private Tensor prompt = null!;
    private Tensor pooled = null!;
    private Tensor timestep = null!;
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
        (pipeline, transformer, vae) = RandomTsdSrModels.Create(DType, tiny);
        input = RandomTsdSrModels.Image(128, 128);
        pixels = rand(1, 3, 512, 512).mul(2).sub(1).to(DType);
        latent = randn(1, 16, 64, 64).to(DType);
        prompt = randn(1, tiny ? 7 : 333, transformer.Config.JointAttentionDim).to(DType);
        pooled = randn(1, transformer.Config.PooledProjectionDim).to(DType);
        timestep = full(new long[] { 1 }, 1000f);
        image01 = rand(1, 3, 512, 512);
    }

    /// <summary>The whole upscale, 128×128 → 512×512, wavelet colour fix.</summary>
    [Benchmark]
    public RgbImage EndToEnd() => pipeline.Upscale(input, new UpscaleSettings());

    /// <summary>VAE encoder with its LoRA on the 512×512 input.</summary>
    [Benchmark]
    public void Encode()
    {
        using var mode = inference_mode();
        using var posterior = vae.Encode(pixels);
    }

    /// <summary>One transformer pass on the 64×64 latent (untiled, as for a 512² output).</summary>
    [Benchmark]
    public void Transformer()
    {
        using var mode = inference_mode();
        using var v = transformer.forward(latent, prompt, pooled, timestep);
    }

    /// <summary>VAE decoder on the 64×64 latent.</summary>
    [Benchmark]
    public void Decode()
    {
        using var mode = inference_mode();
        using var image = vae.Decode(latent);
    }

    /// <summary>Wavelet colour fix of a 512×512 image (always fp32, as the reference's 8-bit round trip implies).</summary>
    [Benchmark]
    public void ColorFix()
    {
        using var mode = inference_mode();
        using var result = WaveletColorFix.Apply(image01, image01);
    }

    /// <summary>Frees the models.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var t in new[] { pixels, latent, prompt, pooled, timestep, image01 })
        {
            t.Dispose();
        }

        pipeline.Dispose();
    }
}
