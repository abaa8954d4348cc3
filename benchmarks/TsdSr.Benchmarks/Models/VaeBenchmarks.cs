using BenchmarkDotNet.Attributes;
using TorchSharp;
using TsdSr.Models.Autoencoders;
using static TorchSharp.torch;

namespace TsdSr.Benchmarks.Models;

/// <summary>
/// The SD3 VAE (random weights, real dimensions) at 512×512: encode to the posterior mean, and decode a 64×64 latent.
/// Peak RSS is printed to the log; run one dtype per process for a clean peak (<c>--filter *VaeBenchmarks*Fp32*</c>).
/// </summary>
public class VaeBenchmarks
{
    private AutoencoderKL vae = null!;
    private Tensor image = null!, latent = null!;

    private void Setup(ScalarType dtype)
    {
        BenchmarkSetup.ConfigureTorch();
        manual_seed(0);
        vae = new AutoencoderKL(AutoencoderKLConfig.Sd3);
        if (dtype != ScalarType.Float32)
        {
            vae.to(dtype);
        }

        vae.eval();
        image = rand(1, 3, 512, 512).mul(2).sub(1).to(dtype);
        latent = randn(1, 16, 64, 64).to(dtype);
        // Peak from here on: resident weights plus the forward's activations (not the fp32 construction).
        GC.Collect();
        BenchmarkSetup.ResetPeakRss();
    }

    [GlobalSetup(Targets = [nameof(EncodeFp32), nameof(DecodeFp32)])]
    public void SetupFp32() => Setup(ScalarType.Float32);

    [GlobalSetup(Targets = [nameof(EncodeBf16), nameof(DecodeBf16)])]
    public void SetupBf16() => Setup(ScalarType.BFloat16);

    [Benchmark]
    public void EncodeFp32() => Encode();

    [Benchmark]
    public void DecodeFp32() => Decode();

    [Benchmark]
    public void EncodeBf16() => Encode();

    [Benchmark]
    public void DecodeBf16() => Decode();

    [GlobalCleanup]
    public void Cleanup()
    {
        BenchmarkSetup.ReportPeakRss("vae " + image.dtype);
        vae.Dispose();
        image.Dispose();
        latent.Dispose();
    }

    private void Encode()
    {
        using var mode = inference_mode();
        using var posterior = vae.Encode(image);
        using var mean = posterior.Mode();
    }

    private void Decode()
    {
        using var mode = inference_mode();
        using var decoded = vae.Decode(latent);
    }
}
