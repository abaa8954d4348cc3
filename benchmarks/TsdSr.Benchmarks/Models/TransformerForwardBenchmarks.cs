using BenchmarkDotNet.Attributes;
using TorchSharp;
using TsdSr.Models.Transformers;
using static TorchSharp.torch;

namespace TsdSr.Benchmarks.Models;

/// <summary>
/// One forward of an SD3-medium-sized MMDiT (random weights, real dimensions): a 64×64 latent (1024 image tokens, a
/// 512×512 image) with 333 text tokens, batch 1 — exactly one TSD-SR tile. Peak RSS (weights + activations) is printed
/// to the log. Run one dtype per process for a clean peak: <c>--filter *TransformerForward*Fp32*</c>.
/// </summary>
public class TransformerForwardBenchmarks
{
    private SD3Transformer2DModel model = null!;
    private Tensor hidden = null!, context = null!, pooled = null!, timestep = null!;

    private void Setup(ScalarType dtype)
    {
        BenchmarkSetup.ConfigureTorch();
        manual_seed(0);
        model = new SD3Transformer2DModel(SD3TransformerConfig.Sd3Medium);
        if (dtype != ScalarType.Float32)
        {
            model.to(dtype);
        }

        model.eval();
        hidden = randn(1, 16, 64, 64).to(dtype);
        context = randn(1, 333, 4096).to(dtype);
        pooled = randn(1, 2048).to(dtype);
        timestep = tensor(new float[] { 1000f });
        // Peak from here on: resident weights plus the forward's activations (not the fp32 construction).
        GC.Collect();
        BenchmarkSetup.ResetPeakRss();
    }

    [GlobalSetup(Target = nameof(Fp32))]
    public void SetupFp32() => Setup(ScalarType.Float32);

    [GlobalSetup(Target = nameof(Bf16))]
    public void SetupBf16() => Setup(ScalarType.BFloat16);

    [Benchmark]
    public void Fp32() => Forward();

    [Benchmark]
    public void Bf16() => Forward();

    [GlobalCleanup]
    public void Cleanup()
    {
        BenchmarkSetup.ReportPeakRss("transformer " + hidden.dtype);
        model.Dispose();
        hidden.Dispose();
        context.Dispose();
        pooled.Dispose();
        timestep.Dispose();
    }

    private void Forward()
    {
        using var mode = inference_mode();
        using var v = model.forward(hidden, context, pooled, timestep);
    }
}
