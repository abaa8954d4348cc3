using System.Diagnostics;
using System.Globalization;
using TsdSr.Inference;
using static TorchSharp.torch;

namespace TsdSr.Benchmarks.Inference;

/// <summary>
/// The memory scaling series: one upscale to an N×N output (input N/4) in a fresh process, printing the peak RSS
/// (VmHWM, reset after loading so it covers the upscale alone) and the time. Peak RSS is a per-process high-water mark, so each size needs its own process:
/// <c>dotnet run -c Release --project benchmarks/TsdSr.Benchmarks -- --tiling-series 2048 [bf16] [tiny] [in-memory] [dec=N] [trace]</c>
/// (<c>trace</c> prints the peak after every progress report).
/// VAE tiling is Auto with the default tiles (encoder 1024 px, decoder 64 latent px; <c>dec=N</c> sets the decoder
/// tile) and the default map storage (maps over 256 MiB spilled to the temporary folder; <c>in-memory</c> keeps every
/// map in RAM, the behaviour before spilling).
/// </summary>
public static class TilingSeries
{
    /// <summary>The command-line switch.</summary>
    public const string Switch = "--tiling-series";

    /// <summary>Runs one size; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        if (args.Length < 2 || !int.TryParse(args[1], CultureInfo.InvariantCulture, out int size) || size < 32 || size % 32 != 0)
        {
            Console.Error.WriteLine($"usage: {Switch} OUTPUT_SIZE (a multiple of 32) [bf16] [tiny] [in-memory] [dec=N] [trace]");
            return 2;
        }

        BenchmarkSetup.ConfigureTorch();
        var dtype = args.Contains("bf16") ? ScalarType.BFloat16 : ScalarType.Float32;
        bool tiny = args.Contains("tiny");
        bool trace = args.Contains("trace");
        var settings = new UpscaleSettings { VaeTiling = VaeTilingMode.Auto };
        if (args.Contains("in-memory"))
        {
            settings = settings with { VaeMaxInMemoryMapBytes = long.MaxValue };
        }

        if (args.FirstOrDefault(a => a.StartsWith("dec=", StringComparison.Ordinal)) is { } dec)
        {
            settings = settings with { VaeDecoderTileSize = int.Parse(dec.AsSpan(4), CultureInfo.InvariantCulture) };
        }
        var (pipeline, _, _) = RandomTsdSrModels.Create(dtype, tiny);
        using (pipeline)
        {
            // Building the models in fp32 before the cast leaves a load-time high-water mark; measure the upscale alone.
            double loadPeak = BenchmarkSetup.PeakRssMiB();
            BenchmarkSetup.ResetPeakRss();
            double afterLoad = BenchmarkSetup.CurrentRssMiB();
            var input = RandomTsdSrModels.Image(size / 4, size / 4);
            var clock = Stopwatch.StartNew();
            // The high-water mark when each stage starts, i.e. the peak reached by the stages before it.
            var stagePeaks = new List<string>();
            TsdSrStage? current = null;
            var progress = new StageProgress(p =>
            {
                if (trace)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {clock.Elapsed.TotalSeconds,7:F1} s {p}: peak {BenchmarkSetup.PeakRssMiB():F0} MiB"));
                }

                if (p.Stage != current)
                {
                    current = p.Stage;
                    stagePeaks.Add(string.Create(CultureInfo.InvariantCulture, $"{p.Stage} at {clock.Elapsed.TotalSeconds:F0} s, {BenchmarkSetup.PeakRssMiB():F0} MiB"));
                }
            });
            var output = pipeline.Upscale(input, settings, progress);
            double peak = BenchmarkSetup.PeakRssMiB();
            double megapixels = (double)output.Width * output.Height / 1e6;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"output {output.Width}x{output.Height} {dtype}{(tiny ? " tiny" : "")}, decoder tile {settings.VaeDecoderTileSize}, maps over "
                + $"{(settings.VaeMaxInMemoryMapBytes == long.MaxValue ? "(never)" : $"{settings.VaeMaxInMemoryMapBytes >> 20} MiB")} spilled: peak RSS {peak:F0} MiB "
                + $"(resident after load {afterLoad:F0} MiB, load peak {loadPeak:F0} MiB; upscale adds {peak - afterLoad:F0} MiB = {(peak - afterLoad) / megapixels:F0} MiB per output megapixel), "
                + $"{clock.Elapsed.TotalSeconds:F1} s = {clock.Elapsed.TotalSeconds / megapixels:F1} s per output megapixel"));
            Console.WriteLine("  first report of each stage (elapsed, peak RSS since load): " + string.Join("; ", stagePeaks));
        }

        return 0;
    }

    private sealed class StageProgress(Action<TsdSrProgress> report) : IProgress<TsdSrProgress>
    {
        public void Report(TsdSrProgress value) => report(value);
    }
}
