using BenchmarkDotNet.Attributes;
using TsdSr.Imaging;
using TsdSr.Inference;
using TsdSr.Inference.Pipeline;
using TsdSr.Models.Autoencoders;
using TsdSr.Models.Transformers;
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
public class NanoUpscaleBenchmarks
{
    private TsdSrPipeline pipeline = null!;
    private RgbImage input = null!;
    private SD3Transformer2DModel transformer = null!;
    private AutoencoderKL vae = null!;
    private Tensor pixels = null!;
    private Tensor latent = null!;
    private Tensor prompt = null!;
    private Tensor pooled = null!;
    private Tensor timestep = null!;

    /// <summary>Whether the LoRA is merged into the base weights at load (one matmul per layer instead of three).</summary>
    [Params(false, true)]
    public bool MergeLora { get; set; }

    /// <summary>Loads or builds the pipeline once per setting.</summary>
    [GlobalSetup]
    public void Setup()
    {
        BenchmarkSetup.ConfigureTorch();
        var bundled = BundledModel.TryFind();
        pipeline = bundled is not null
            ? TsdSrPipeline.Load(bundled, new TsdSrPipelineOptions { Device = "cpu", MergeLora = MergeLora })
            : RandomTsdSrModels.CreateNano(MergeLora).Pipeline;
        Console.WriteLine(bundled is not null ? $"// TSD-SR-nano from {bundled.ModelDirectory}" : "// random weights of the nano sizes");
        input = RandomTsdSrModels.Image(128, 128);
        (transformer, vae) = RandomTsdSrModels.CreateNanoModels(MergeLora);
        pixels = rand(1, 3, 512, 512).mul(2).sub(1);
        latent = randn(1, 8, 128, 128);
        prompt = randn(1, 8, transformer.Config.JointAttentionDim);
        pooled = randn(1, transformer.Config.PooledProjectionDim);
        timestep = full(new long[] { 1 }, 1000f);
    }

    /// <summary>The whole upscale, 128×128 → 512×512, wavelet colour fix (the CLI's defaults).</summary>
    [Benchmark]
    public RgbImage EndToEnd() => pipeline.Upscale(input, new UpscaleSettings());

    /// <summary>VAE encoder (with its LoRA) on the 512×512 input.</summary>
    [Benchmark]
    public void Encode()
    {
        using var mode = inference_mode();
        using var posterior = vae.Encode(pixels);
    }

    /// <summary>The transformer pass on the 128×128 latent (32×32 patch-4 tokens, untiled).</summary>
    [Benchmark]
    public void Transformer()
    {
        using var mode = inference_mode();
        using var v = transformer.forward(latent, prompt, pooled, timestep);
    }

    /// <summary>VAE decoder on the 128×128 latent.</summary>
    [Benchmark]
    public void Decode()
    {
        using var mode = inference_mode();
        using var image = vae.Decode(latent);
    }

    /// <summary>Releases the models.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        pipeline.Dispose();
        transformer.Dispose();
        vae.Dispose();
        foreach (var t in new[] { pixels, latent, prompt, pooled, timestep })
        {
            t.Dispose();
        }
    }
}
