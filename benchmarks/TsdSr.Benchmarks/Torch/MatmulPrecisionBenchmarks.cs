using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace TsdSr.Benchmarks.Torch;

/// <summary>
/// One SD3-medium-shaped projection (1357 tokens × 1536 → 6144, the MLP up-projection) per precision: shows whether
/// this CPU runs bf16/fp16 matmuls natively (AVX512-BF16/AMX) or through slow conversions.
/// </summary>
public class MatmulPrecisionBenchmarks
{
    private Tensor x = null!;
    private Tensor w = null!;

    [Params(ScalarType.Float32, ScalarType.BFloat16, ScalarType.Float16)]
    public ScalarType DType { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        BenchmarkSetup.ConfigureTorch();
        x = randn(1357, 1536).to(DType);
        w = randn(6144, 1536).to(DType);
    }

    [Benchmark]
    public void Linear()
    {
        using var y = nn.functional.linear(x, w);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        x.Dispose();
        w.Dispose();
    }
}
