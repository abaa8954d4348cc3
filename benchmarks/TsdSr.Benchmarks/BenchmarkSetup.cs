using TorchSharp;

namespace TsdSr.Benchmarks;

/// <summary>Common process settings for benchmarks.</summary>
public static class BenchmarkSetup
{
    /// <summary>
    /// Threads libtorch uses: all logical processors unless TSDSR_BENCH_THREADS says otherwise. On Linux,
    /// TSDSR_BENCH_MALLOPT=<c>param=value[,param=value]</c> passes glibc <c>mallopt</c> settings first (e.g. <c>-4=0,-1=2147483647</c>:
    /// no mmap, no trimming), the experiment behind the allocator table in docs/performance.md.
    /// </summary>
    public static void ConfigureTorch()
    {
        var env = Environment.GetEnvironmentVariable("TSDSR_BENCH_THREADS");
        torch.set_num_threads(int.TryParse(env, out var n) && n > 0 ? n : Environment.ProcessorCount);
        var settings = Environment.GetEnvironmentVariable("TSDSR_BENCH_MALLOPT");
        if (string.IsNullOrEmpty(settings) || !OperatingSystem.IsLinux())
        {
            return;
        }

        foreach (var pair in settings.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=');
            if (parts.Length != 2 || !int.TryParse(parts[0], out var param) || !int.TryParse(parts[1], out var value))
            {
                throw new ArgumentException($"TSDSR_BENCH_MALLOPT: '{pair}' is not param=value with two integers.");
            }

            Console.WriteLine($"mallopt({param}, {value}) returned {Mallopt(param, value)} (1 = accepted)");
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mallopt")]
    private static extern int Mallopt(int param, int value);

    /// <summary>The integer of the first argument that starts with <paramref name="prefix"/> (e.g. <c>size=</c>), else <paramref name="fallback"/>.</summary>
    public static int IntArg(string[] args, string prefix, int fallback) =>
        args.FirstOrDefault(a => a.StartsWith(prefix, StringComparison.Ordinal)) is { } a ? int.Parse(a.AsSpan(prefix.Length), System.Globalization.CultureInfo.InvariantCulture) : fallback;

    /// <summary>Resets the kernel's peak-RSS counter (VmHWM) of this process (Linux; no-op elsewhere).</summary>
    public static void ResetPeakRss()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Writes the peak RSS since the last reset to the console (it appears in BenchmarkDotNet's log).</summary>
    public static void ReportPeakRss(string label) =>
        Console.WriteLine($"// TsdSr peak RSS [{label}]: {PeakRssMiB():F0} MiB");

    /// <summary>Peak resident set size of this process so far (VmHWM on Linux), in MiB, or -1 where unavailable.</summary>
    public static double PeakRssMiB() => StatusMiB("VmHWM:");

    /// <summary>Current resident set size of this process (VmRSS on Linux), in MiB, or -1 where unavailable.</summary>
    public static double CurrentRssMiB() => StatusMiB("VmRSS:");

    private static double StatusMiB(string field)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    var kb = long.Parse(line.AsSpan(field.Length).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture);
                    return kb / 1024.0;
                }
            }
        }
        catch (IOException)
        {
        }

        return -1;
    }
}
