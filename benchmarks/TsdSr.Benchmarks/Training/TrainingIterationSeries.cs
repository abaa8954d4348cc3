using System.Diagnostics;
using System.Globalization;
using static TorchSharp.torch;

namespace TsdSr.Benchmarks.Training;

/// <summary>
/// Time and peak memory of one TSD-SR training iteration (student step + fake-score step), one configuration per
/// process because the peak RSS (VmHWM) is a per-process high-water mark:
/// <c>dotnet run -c Release --project benchmarks/TsdSr.Benchmarks -- --training-iteration [tiny] [dasm] [fp32] [iterations=N]</c>.
/// Default: SD3-medium-sized random weights, bf16 base + fp32 LoRA (r 64 / 64 / 64), 512² HR / 128² LR crops, batch 1,
/// LPIPS-Alex + latent MSE + TSD, one warm-up and two measured iterations.
/// </summary>
public static class TrainingIterationSeries
{
    /// <summary>The command-line switch.</summary>
    public const string Switch = "--training-iteration";

    /// <summary>Runs one configuration; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        BenchmarkSetup.ConfigureTorch();
        bool tiny = args.Contains("tiny");
        bool dasm = args.Contains("dasm");
        var dtype = args.Contains("fp32") || tiny ? ScalarType.Float32 : ScalarType.BFloat16;
        int iterations = args.Where(a => a.StartsWith("iterations=", StringComparison.Ordinal))
            .Select(a => int.Parse(a.AsSpan(11), CultureInfo.InvariantCulture)).DefaultIfEmpty(2).Single();
        var label = string.Create(CultureInfo.InvariantCulture, $"{(tiny ? "tiny" : "sd3-medium")} {dtype} {(dasm ? "DASM (4 sub-steps)" : "no DASM (1 sub-step)")}");
        var clock = Stopwatch.StartNew();
        using var setup = new RandomTrainingSetup(tiny, dtype, dasm);
        double setupSeconds = clock.Elapsed.TotalSeconds;
        double afterSetup = CurrentRssMiB();
        double setupPeak = BenchmarkSetup.PeakRssMiB();
        BenchmarkSetup.ResetPeakRss();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: setup {setupSeconds:F1} s, RSS after setup {afterSetup:F0} MiB (peak while building {setupPeak:F0} MiB)"));

        var times = new List<double>();
        for (int i = 0; i <= iterations; i++)
        {
            var result = setup.Iterate(i);
            var t = result.Timings;
            if (!double.IsFinite(result.StudentLoss ?? double.NaN) || !double.IsFinite(result.FakeScoreLoss ?? double.NaN))
            {
                Console.WriteLine($"  iteration {i}: non-finite loss (student {result.StudentLoss}, fake {result.FakeScoreLoss})");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {(i == 0 ? "warm-up" : "iteration " + i)}: {t.Total.TotalSeconds:F2} s (encode {t.Encode.TotalSeconds:F2}, student {t.Student.TotalSeconds:F2}, "
                + $"distillation {t.Distillation.TotalSeconds:F2} [{result.SubSteps} sub-step(s)], decode+data loss {t.Reconstruction.TotalSeconds:F2}, "
                + $"student backward+update {t.StudentUpdate.TotalSeconds:F2}, fake-score step {t.FakeScore.TotalSeconds:F2}); peak RSS so far {BenchmarkSetup.PeakRssMiB():F0} MiB"));
            if (i > 0)
            {
                times.Add(t.Total.TotalSeconds);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: {times.Average():F2} s per iteration (mean of {times.Count}), peak RSS during iterations {BenchmarkSetup.PeakRssMiB():F0} MiB, threads {get_num_threads()}"));
        return 0;
    }

    private static double CurrentRssMiB()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        return -1;
    }
}
