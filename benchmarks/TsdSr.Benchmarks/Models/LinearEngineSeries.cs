using System.Diagnostics;
using System.Globalization;
using TsdSr.Core.Devices;
using TsdSr.Models.Lora;
using TsdSr.Models.Transformers;
using static TorchSharp.torch;

namespace TsdSr.Benchmarks.Models;

/// <summary>
/// The fp32 MMDiT forward at a 512² upscale's size (1,024 latent + 333 prompt tokens) with its linear layers as
/// libtorch's product (MKL) and as oneDNN 1×1 convolutions (<see cref="LoraLinear.Fp32ConvolutionOnCpu"/>), alternated
/// in one process on one model, so that the two engines share every condition but the engine:
/// <c>dotnet run -c Release --project benchmarks/TsdSr.Benchmarks -- --linear-engine [sd3|nano] [rounds=N]</c>.
/// Run it once with glibc's malloc and once with tcmalloc preloaded: the convolutions reorder each weight per call,
/// and whether that buffer is reused depends on the allocator.
/// </summary>
public static class LinearEngineSeries
{
    /// <summary>The command-line switch.</summary>
    public const string Switch = "--linear-engine";

    /// <summary>Runs; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        BenchmarkSetup.ConfigureTorch();
        var config = args.Contains("nano") ? SD3TransformerConfig.Nano : SD3TransformerConfig.Sd3Medium;
        int rounds = BenchmarkSetup.IntArg(args, "rounds=", 4);
        const int promptTokens = 333;
        manual_seed(0);
        using var model = new SD3Transformer2DModel(config);
        model.eval();
        var linears = model.modules().OfType<LoraLinear>().ToList();
        using var latent = randn(1, config.InChannels, 64, 64);
        using var prompt = randn(1, promptTokens, config.JointAttentionDim);
        using var pooled = randn(1, config.PooledProjectionDim);
        using var timestep = full(new long[] { 1 }, 1000f);
        Console.WriteLine($"MMDiT fp32 forward, {linears.Count} linear layers, {get_num_threads()} threads, malloc {NativeAllocator.Describe()}, CPU {CpuVendor.Current}");

        double Forward(bool convolution)
        {
            linears.ForEach(l => l.Fp32ConvolutionOnCpu = convolution);
            using var mode = inference_mode();
            var clock = Stopwatch.StartNew();
            using var v = model.forward(latent, prompt, pooled, timestep);
            return clock.Elapsed.TotalSeconds;
        }

        Forward(false);
        Forward(true);
        var times = new Dictionary<bool, List<double>> { [false] = [], [true] = [] };
        for (int round = 0; round < rounds; round++)
        {
            // Alternate which engine goes first, so that neither always follows the other.
            foreach (bool convolution in round % 2 == 0 ? new[] { false, true } : new[] { true, false })
            {
                times[convolution].Add(Forward(convolution));
            }
        }

        foreach (var (convolution, list) in times)
        {
            var sorted = list.OrderBy(t => t).ToList();
            // The mean of the middle two when the count is even (the default 4 rounds).
            double median = (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {(convolution ? "1x1 convolution" : "product"),-16} best {sorted[0]:0.000} s, median {median:0.000} s, all {string.Join(", ", list.Select(t => t.ToString("0.000", CultureInfo.InvariantCulture)))}"));
        }

        return 0;
    }
}
