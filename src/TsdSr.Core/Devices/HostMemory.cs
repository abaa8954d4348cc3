using System.Globalization;

namespace TsdSr.Core.Devices;

/// <summary>
/// Memory the process can still use, and the check that refuses a model whose estimated size cannot fit before a single
/// tensor is allocated. Without it, an absurd config (a hundred thousand layers, a LoRA rank of 10^8) allocates until
/// the kernel kills the process minutes later, with no message.
/// </summary>
public static class HostMemory
{
    /// <summary>
    /// Bytes available now: the smaller of the kernel's <c>MemAvailable</c> (Linux) and the runtime's limit for this
    /// process (container limits included).
    /// </summary>
    public static long AvailableBytes
    {
        get
        {
            long limit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
            long? kernel = ReadMemAvailable();
            return kernel is { } k ? Math.Min(k, limit) : limit;
        }
    }

    /// <summary>Throws <see cref="MemoryEstimateException"/> when <paramref name="requiredBytes"/> exceeds <see cref="AvailableBytes"/>.</summary>
    /// <param name="requiredBytes">The estimate.</param>
    /// <param name="what">What would be allocated and from which file, e.g. "the transformer of 'config.json' (num_layers 24, …)".</param>
    public static void EnsureFits(long requiredBytes, string what)
    {
        long available = AvailableBytes;
        if (requiredBytes > available)
        {
            throw new MemoryEstimateException(requiredBytes, available, what);
        }
    }

    /// <summary>A byte count for people: "812.3 GB", "5.4 MB".</summary>
    public static string Describe(long bytes) => bytes switch
    {
        >= 1L << 40 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 40):0.0} TiB"),
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
    };

    /// <summary><paramref name="count"/> × <paramref name="bytesEach"/>, saturating instead of overflowing (estimates of absurd configs stay absurd, not negative).</summary>
    public static long Times(long count, long bytesEach) =>
        count > 0 && bytesEach > 0 && count > long.MaxValue / bytesEach ? long.MaxValue : count * bytesEach;

    private static long? ReadMemAvailable()
    {
        const string meminfo = "/proc/meminfo";
        if (!OperatingSystem.IsLinux() || !File.Exists(meminfo))
        {
            return null;
        }

        try
        {
            foreach (var line in File.ReadLines(meminfo))
            {
                // "MemAvailable:   20971520 kB"
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal)
                    && long.TryParse(line["MemAvailable:".Length..].Trim().Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
                {
                    return kb * 1024;
                }
            }
        }
        catch (IOException)
        {
            // Fall back to the runtime's figure.
        }

        return null;
    }
}
