using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using TsdSr.Inference.Benchmarking;
using TsdSr.Models.Autoencoders;
using static TorchSharp.torch;

namespace TsdSr.Benchmarks.Models;

/// <summary>
/// libtorch's fused attention against the explicit product (<see cref="VaeAttention.AttendExplicit"/>) at the attention
/// shapes of an upscale at SD3 size, with its GFLOP/s next to the dtype's GEMM rate (<see cref="GemmThroughput"/>), and
/// each path's largest error against the explicit product in fp64:
/// <c>dotnet run -c Release --project benchmarks/TsdSr.Benchmarks -- --attention mmdit|vae|vae1024 [bf16] [rounds=N]</c>
/// (<c>mmdit</c>: 24 heads × 64 over 1,024 image + 333 text tokens; <c>vae</c>: the VAE mid-block, one head × 512 over
/// 4,096 latent positions; <c>vae1024</c>: the same over 16,384, a 1024² decode).
/// </summary>
public static class AttentionSeries
{
    /// <summary>The command-line switch.</summary>
    public const string Switch = "--attention";

    /// <summary>Runs; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        (long heads, long tokens, long dim)? shape = args.ElementAtOrDefault(1) switch
        {
            "mmdit" => (24, 1357, 64),
            "vae" => (1, 4096, 512),
            "vae1024" => (1, 16384, 512),
            _ => null,
        };
        if (shape is not { } s)
        {
            Console.Error.WriteLine($"usage: {Switch} mmdit|vae|vae1024 [bf16] [rounds=N]");
            return 2;
        }

        BenchmarkSetup.ConfigureTorch();
        var dtype = args.Contains("bf16") ? ScalarType.BFloat16 : ScalarType.Float32;
        int rounds = BenchmarkSetup.IntArg(args, "rounds=", 5);
        using var inference = inference_mode();
        var generator = new Generator(4);
        using var q64 = randn(new long[] { 1, s.heads, s.tokens, s.dim }, ScalarType.Float64, generator: generator);
        using var k64 = randn(new long[] { 1, s.heads, s.tokens, s.dim }, ScalarType.Float64, generator: generator);
        using var v64 = randn(new long[] { 1, s.heads, s.tokens, s.dim }, ScalarType.Float64, generator: generator);
        using var q = q64.to(dtype);
        using var k = k64.to(dtype);
        using var v = v64.to(dtype);
        using var exact = VaeAttention.AttendExplicit(q64, k64, v64, long.MaxValue);
        double gflop = 4.0 * s.heads * s.tokens * s.tokens * s.dim / 1e9;
        var (product, convolution) = GemmThroughput.Measure(dtype, CPU);
        double gemmRate = Math.Max(product, convolution ?? 0);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"attention {args[1]} ({s.heads} heads x {s.dim}, {s.tokens} tokens), {dtype}, {get_num_threads()} threads: {gflop:F1} GFLOP; GEMM {gemmRate:F0} GFLOP/s, floor {gflop / gemmRate * 1e3:F1} ms"));
        var paths = new (string Name, Func<Tensor> Run)[]
        {
            ("sdpa", () => nn.functional.scaled_dot_product_attention(q, k, v)),
            ("explicit", () => VaeAttention.AttendExplicit(q, k, v, long.MaxValue)),
            ("sdpa in fp32, cast back", () => Float32Sdpa(q, k, v)),
            ("explicit, 256 MiB chunks", () => VaeAttention.AttendExplicit(q, k, v, VaeAttention.DefaultScoreBudgetBytes)),
        };
        var times = paths.ToDictionary(p => p.Name, _ => new List<double>());
        for (int round = -1; round < rounds; round++)
        {
            foreach (var (name, run) in paths)
            {
                var clock = Stopwatch.StartNew();
                using var o = run();
                double seconds = clock.Elapsed.TotalSeconds;
                if (round < 0)
                {
                    double error = o.to(ScalarType.Float64).sub(exact).abs().max().ToDouble();
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-24} max |error| against fp64 {error:E2}"));
                }
                else
                {
                    times[name].Add(seconds);
                }
            }
        }

        foreach (var (name, list) in times)
        {
            list.Sort();
            double median = list[list.Count / 2];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-24} median {median * 1e3,8:F1} ms  {gflop / median,6:F0} GFLOP/s  {median / (gflop / gemmRate):F2}x floor"));
        }

        return 0;
    }

    private static Tensor Float32Sdpa(Tensor q, Tensor k, Tensor v)
    {
        using var q32 = q.to(ScalarType.Float32);
        using var k32 = k.to(ScalarType.Float32);
        using var v32 = v.to(ScalarType.Float32);
        using var o = nn.functional.scaled_dot_product_attention(q32, k32, v32);
        return o.to(q.dtype);
    }
}
