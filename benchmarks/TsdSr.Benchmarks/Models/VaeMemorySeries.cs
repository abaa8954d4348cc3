using System.Globalization;
using TorchSharp;
using TsdSr.Models.Autoencoders;
using static TorchSharp.torch;

namespace TsdSr.Benchmarks.Models;

/// <summary>
/// How much memory each VAE stage adds above what the process holds before it (peak RSS during the stage minus RSS
/// before it, after one warm-up run), for comparison with the same numbers from the Python reference
/// (<c>scripts/bench/vae-memory.py</c>):
/// <c>dotnet run -c Release --project benchmarks/TsdSr.Benchmarks -- --vae-memory nano|sd3 [bf16] [size=N] [channels-last] [sdpa]</c>
/// (<c>sdpa</c>: bf16 attention through SDPA instead of the CPU default, the explicit product). Each stage's second-run time is printed too.
/// The size of one activation of the widest full-resolution layer is printed as the unit to read them in.
/// </summary>
public static class VaeMemorySeries
{
    /// <summary>The command-line switch.</summary>
    public const string Switch = "--vae-memory";

    /// <summary>Runs; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        var config = args.ElementAtOrDefault(1) switch
        {
            "nano" => AutoencoderKLConfig.Nano,
            "sd3" => AutoencoderKLConfig.Sd3,
            _ => null,
        };
        if (config is null)
        {
            Console.Error.WriteLine($"usage: {Switch} nano|sd3 [bf16] [size=N] [channels-last] [sdpa]");
            return 2;
        }

        BenchmarkSetup.ConfigureTorch();
        var dtype = args.Contains("bf16") ? ScalarType.BFloat16 : ScalarType.Float32;
        int size = BenchmarkSetup.IntArg(args, "size=", 512);
        using var inference = inference_mode();
        manual_seed(1);
        using var vae = new AutoencoderKL(config);
        vae.to(dtype);
        vae.eval();
        if (args.Contains("channels-last"))
        {
            vae.ToChannelsLast();
        }

        // "sdpa": bf16 attention through SDPA instead of the explicit product the CPU default takes.
        foreach (var attention in vae.modules().OfType<VaeAttention>())
        {
            attention.ExplicitBFloat16OnCpu = !args.Contains("sdpa");
        }

        using var image = rand(new long[] { 1, config.InChannels, size, size }, generator: new Generator(2)).mul(2).sub(1).to(dtype);
        int latentSize = size / config.DownsampleFactor;
        using var latent = randn(new long[] { 1, config.LatentChannels, latentSize, latentSize }, generator: new Generator(3)).to(dtype);
        double unit = (double)config.BlockOutChannels[0] * size * size * (dtype == ScalarType.Float32 ? 4 : 2) / (1 << 20);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"VAE {args[1]}, {dtype}, {size}², one activation of {config.BlockOutChannels[0]} channels at full size: {unit:F0} MiB"));
        foreach (var (stage, run) in new (string, Action)[]
        {
            ("encode", () => { using var posterior = vae.Encode(image); }),
            ("decode", () => { using var decoded = vae.Decode(latent); }),
        })
        {
            run();
            double before = BenchmarkSetup.CurrentRssMiB();
            BenchmarkSetup.ResetPeakRss();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            run();
            double seconds = clock.Elapsed.TotalSeconds;
            double added = BenchmarkSetup.PeakRssMiB() - before;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {stage}: adds {added:F0} MiB above {before:F0} MiB ({added / unit:F1} activations), second run {seconds:F3} s"));
        }

        return 0;
    }
}
