using BenchmarkDotNet.Attributes;
using TorchSharp;
using TsdSr.Data.Degradation;
using TsdSr.Data.Random;
using static TorchSharp.torch;

namespace TsdSr.Benchmarks.Data;

/// <summary>
/// Real-ESRGAN second-order degradation throughput on 512×512 crops (CPU float32). Each invocation degrades the same
/// 8 pairs (fixed seeds, so every run sees the same mix of branches); BenchmarkDotNet's time per operation is the
/// time per pair, pairs/s = 1 s / that.
/// </summary>
[MemoryDiagnoser]
public class DegradationBenchmarks
{
    private const int Pairs = 8;
    private Tensor hr = null!;
    private RealEsrganDegradation pipeline = null!;

    /// <summary>Samples per call: 1, or 4 as one batch.</summary>
    [Params(1, 4)]
    public int BatchSize { get; set; }

    /// <summary>Preset name (per-sample OSEDiff, per-batch Real-ESRGAN).</summary>
    [Params("osediff", "realesrgan")]
    public string Preset { get; set; } = "osediff";

    [GlobalSetup]
    public void Setup()
    {
        BenchmarkSetup.ConfigureTorch();
        pipeline = new RealEsrganDegradation(DegradationConfig.FromName(Preset));

        // Texture like a photo: a smooth gradient plus fine detail, so JPEG and noise do representative work.
        var rng = new CounterRng(1);
        var data = new float[BatchSize * 3 * 512 * 512];
        for (int i = 0; i < data.Length; i++)
        {
            int x = i % 512, y = i / 512 % 512;
            data[i] = (float)Math.Clamp((0.3 * Math.Sin(x / 37.0) * Math.Cos(y / 23.0)) + 0.5 + (0.15 * (rng.NextDouble() - 0.5)), 0, 1);
        }

        hr = tensor(data, new long[] { BatchSize, 3, 512, 512 });
    }

    [Benchmark(OperationsPerInvoke = Pairs)]
    public void DegradePairs()
    {
        for (int i = 0; i < Pairs; i += BatchSize)
        {
            using var result = pipeline.Degrade(hr, 42, i);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => hr.Dispose();
}
