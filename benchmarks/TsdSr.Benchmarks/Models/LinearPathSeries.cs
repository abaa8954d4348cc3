using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using TsdSr.Models.Kernels;
using static TorchSharp.torch;

namespace TsdSr.Benchmarks.Models;

/// <summary>
/// The MMDiT's linear layers at a 512² upscale's token count, computed two ways: <c>nn.functional.linear</c> (libtorch
/// sends fp32 to MKL's GEMM) and the same product as a 1×1 convolution over a channels-last [1, in, 1, tokens] map
/// (oneDNN's convolution kernels); GFLOP/s and the largest difference between the two:
/// <c>dotnet run -c Release --project benchmarks/TsdSr.Benchmarks -- --linear-paths [bf16] [rounds=N]</c>.
/// </summary>
public static class LinearPathSeries
{
    /// <summary>The command-line switch.</summary>
    public const string Switch = "--linear-paths";

    /// <summary>Runs; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        BenchmarkSetup.ConfigureTorch();
        var dtype = args.Contains("bf16") ? ScalarType.BFloat16 : ScalarType.Float32;
        int rounds = BenchmarkSetup.IntArg(args, "rounds=", 5);
        const long tokens = 1357;
        using var inference = inference_mode();
        Console.WriteLine($"linear layers over {tokens} tokens, {dtype}, {get_num_threads()} threads");
        foreach (var (name, inputs, outputs) in new (string, long, long)[] { ("q/k/v/out 1536→1536", 1536, 1536), ("fc1 1536→6144", 1536, 6144), ("fc2 6144→1536", 6144, 1536) })
        {
            var generator = new Generator(5);
            using var x = randn(new long[] { 1, tokens, inputs }, generator: generator).to(dtype);
            using var weight = randn(new long[] { outputs, inputs }, generator: generator).div_(Math.Sqrt(inputs)).to(dtype);
            using var bias = randn(new long[] { outputs }, generator: generator).to(dtype);
            Func<Tensor> linear = () => nn.functional.linear(x, weight, bias);
            Func<Tensor> conv = () => ConvolutionLinear.Forward(x, weight, bias);
            double gflop = 2.0 * tokens * inputs * outputs / 1e9;
            using (var a = linear())
            using (var b = conv())
            {
                double diff = a.to(ScalarType.Float64).sub(b.to(ScalarType.Float64)).abs().max().ToDouble();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name}: max |linear - conv| {diff:E2}"));
            }

            var times = new Dictionary<string, List<double>> { ["linear"] = [], ["1x1 conv"] = [] };
            for (int round = 0; round < rounds; round++)
            {
                foreach (var (path, run) in new[] { ("linear", linear), ("1x1 conv", conv) })
                {
                    var clock = Stopwatch.StartNew();
                    using var y = run();
                    times[path].Add(clock.Elapsed.TotalSeconds);
                }
            }

            foreach (var (path, list) in times)
            {
                list.Sort();
                double median = list[list.Count / 2];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {path,-9} median {median * 1e3,7:F1} ms  {gflop / median,6:F0} GFLOP/s"));
            }
        }

        return 0;
    }
}
