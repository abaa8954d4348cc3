using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using TsdSr.Core.SafeTensors;
using TsdSr.Core.StateDicts;
using static TorchSharp.torch;

namespace TsdSr.Benchmarks.Models;

/// <summary>
/// Where a weight file's load time goes, tensor by tensor, summed per part: reading the stored bytes into a new
/// tensor, converting it to the target dtype, and the finiteness check, against a plain read of the whole file into
/// a byte buffer (the disk or page-cache speed). The file is read once first so that every part sees the page cache.
/// </summary>
public static class LoadProfile
{
    /// <summary>Profiles <paramref name="file"/> loaded to <paramref name="dtype"/>; returns the process exit code.</summary>
    public static int Run(string file, ScalarType dtype)
    {
        using var noGrad = no_grad();
        var raw = RawRead(file);
        raw = Math.Min(raw, RawRead(file));
        using var source = SafetensorsFile.Open(file);
        double read = 0, convert = 0, check = 0;
        long bytes = 0;
        var clock = new Stopwatch();
        foreach (var name in source.Tensors.Keys)
        {
            clock.Restart();
            using var stored = source.Read(name);
            read += Lap(clock);
            using var target = stored.dtype == dtype || !stored.is_floating_point() ? stored.alias() : stored.to(dtype);
            convert += Lap(clock);
            WeightLoader.IsFinite(target);
            check += Lap(clock);
            bytes += stored.NumberOfElements * stored.ElementSize;
        }

        double mib = bytes / 1048576.0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{file}: {source.Tensors.Count} tensors, {mib:F0} MiB stored, to {dtype}\n" +
            $"  whole file into a byte buffer : {raw,6:F2} s ({mib / raw,6:F0} MiB/s)\n" +
            $"  read into new tensors         : {read,6:F2} s ({mib / read,6:F0} MiB/s)\n" +
            $"  dtype conversion              : {convert,6:F2} s\n" +
            $"  finiteness check              : {check,6:F2} s"));
        return 0;
    }

    private static double Lap(Stopwatch clock)
    {
        var seconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        return seconds;
    }

    private static double RawRead(string file)
    {
        var buffer = new byte[TensorBytesChunk];
        var clock = Stopwatch.StartNew();
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        while (stream.Read(buffer, 0, buffer.Length) > 0)
        {
        }

        return clock.Elapsed.TotalSeconds;
    }

    private const int TensorBytesChunk = 4 << 20;
}
