using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using TsdSr.Models.Autoencoders;
using static TorchSharp.torch;

namespace TsdSr.Benchmarks.Models;

/// <summary>
/// NCHW against channels-last (NHWC) VAE, A/B interleaved in one process: two copies of the same randomly initialised
/// VAE (same seed), one converted with <see cref="AutoencoderKL.ToChannelsLast"/>, timed alternately on the same
/// input; prints each round, the medians and the largest output difference:
/// <c>dotnet run -c Release --project benchmarks/TsdSr.Benchmarks -- --vae-layout nano|half|sd3 [bf16] [size=N] [rounds=N]</c>
/// (<c>half</c>: the SD3 VAE at half its widths, 64/128/256/256).
/// </summary>
public static class VaeLayoutSeries
{
    /// <summary>The command-line switch.</summary>
    public const string Switch = "--vae-layout";

    /// <summary>Runs; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        var config = args.ElementAtOrDefault(1) switch
        {
            "nano" => AutoencoderKLConfig.Nano,
            "half" => AutoencoderKLConfig.Sd3 with { BlockOutChannels = [64, 128, 256, 256] },
            "sd3" => AutoencoderKLConfig.Sd3,
            _ => null,
        };
        if (config is null)
        {
            Console.Error.WriteLine($"usage: {Switch} nano|half|sd3 [bf16] [size=N] [rounds=N]");
            return 2;
        }

        BenchmarkSetup.ConfigureTorch();
        var dtype = args.Contains("bf16") ? ScalarType.BFloat16 : ScalarType.Float32;
        int size = BenchmarkSetup.IntArg(args, "size=", 512), rounds = BenchmarkSetup.IntArg(args, "rounds=", 3);
        using var noGrad = no_grad();
        using var nchw = Build(config, dtype);
        using var nhwc = Build(config, dtype);
        nhwc.ToChannelsLast();
        using var image = rand(new long[] { 1, config.InChannels, size, size }, generator: new Generator(2)).mul(2).sub(1).to(dtype);
        var latentSize = size / config.DownsampleFactor;
        using var latent = randn(new long[] { 1, config.LatentChannels, latentSize, latentSize }, generator: new Generator(3)).to(dtype);
        Console.WriteLine($"VAE {args[1]} ({string.Join("/", config.BlockOutChannels)}), {dtype}, {size}², {get_num_threads()} threads, {rounds} rounds after one warm-up, interleaved A (NCHW) / B (channels-last)");
        var times = new Dictionary<string, List<double>>();
        double encodeDiff = 0, decodeDiff = 0;
        for (int round = -1; round < rounds; round++)
        {
            var (ea, ma) = Time(() => Encode(nchw, image));
            var (eb, mb) = Time(() => Encode(nhwc, image));
            var (da, oa) = Time(() => nchw.Decode(latent));
            var (db, ob) = Time(() => nhwc.Decode(latent));
            encodeDiff = Math.Max(encodeDiff, ma.sub(mb).abs().max().ToDouble());
            decodeDiff = Math.Max(decodeDiff, oa.sub(ob).abs().max().ToDouble());
            foreach (var t in new[] { ma, mb, oa, ob })
            {
                t.Dispose();
            }

            if (round < 0)
            {
                continue;
            }

            Add(times, "encode NCHW", ea);
            Add(times, "encode NHWC", eb);
            Add(times, "decode NCHW", da);
            Add(times, "decode NHWC", db);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  round {round + 1}: encode {ea:F3} / {eb:F3} s, decode {da:F3} / {db:F3} s"));
        }

        foreach (var stage in new[] { "encode", "decode" })
        {
            double a = Median(times[$"{stage} NCHW"]), b = Median(times[$"{stage} NHWC"]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  median {stage}: NCHW {a:F3} s, NHWC {b:F3} s, NHWC speed-up {a / b:F2}×"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  max |NCHW − NHWC|: posterior mean {encodeDiff:G3}, decoded {decodeDiff:G3}"));
        return 0;
    }

    private static AutoencoderKL Build(AutoencoderKLConfig config, ScalarType dtype)
    {
        manual_seed(1);
        var vae = new AutoencoderKL(config);
        vae.to(dtype);
        vae.eval();
        return vae;
    }

    private static Tensor Encode(AutoencoderKL vae, Tensor image)
    {
        using var posterior = vae.Encode(image);
        return posterior.Mean.clone();
    }

    private static (double Seconds, Tensor Output) Time(Func<Tensor> run)
    {
        var clock = Stopwatch.StartNew();
        var output = run();
        return (clock.Elapsed.TotalSeconds, output);
    }

    private static void Add(Dictionary<string, List<double>> times, string key, double value)
    {
        if (!times.TryGetValue(key, out var list))
        {
            times[key] = list = [];
        }

        list.Add(value);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
