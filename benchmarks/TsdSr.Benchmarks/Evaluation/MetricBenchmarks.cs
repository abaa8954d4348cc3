using BenchmarkDotNet.Attributes;
using TsdSr.Evaluation.FullReference;
using TsdSr.Evaluation.NoReference;
using TsdSr.Imaging;

namespace TsdSr.Benchmarks.Evaluation;

/// <summary>
/// Per-image cost of the weight-free paper metrics on one 512×512 pair (the size of the RealSR/DRealSR test crops);
/// ×100 gives the cost of a benchmark set. Images are synthetic (smooth texture + noise) so that no data is needed.
/// </summary>
[MemoryDiagnoser]
public class MetricBenchmarks
{
    private readonly Psnr psnr = new();
    private readonly Ssim ssim = new();
    private readonly Niqe niqe = new();
    private RgbImage sr = null!;
    private RgbImage hr = null!;

    [GlobalSetup]
    public void Setup()
    {
        hr = Synthetic(512, 512, seed: 1, noise: 4);
        sr = Synthetic(512, 512, seed: 2, noise: 12);
    }

    [Benchmark]
    public double Psnr() => psnr.Compute(sr, hr);

    [Benchmark]
    public double Ssim() => ssim.Compute(sr, hr);

    [Benchmark]
    public double Niqe() => niqe.Compute(sr);

    private static RgbImage Synthetic(int w, int h, int seed, int noise)
    {
        var rng = new Random(seed);
        var px = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    double v = 128 + (60 * Math.Sin((x * 0.05) + c)) + (40 * Math.Cos(y * 0.03 * (c + 1))) + (rng.NextDouble() * noise);
                    px[(((y * w) + x) * 3) + c] = (byte)Math.Clamp(v, 0, 255);
                }
            }
        }

        return new RgbImage(w, h, px);
    }
}
