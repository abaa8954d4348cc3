using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using TsdSr.Core.SafeTensors;
using TsdSr.Core.StateDicts;
using static TorchSharp.torch;

namespace TsdSr.Benchmarks.Models;

/// <summary>
/// Where a weight file's load time goes, tensor by tensor, summed per part: reading the stored bytes into a new
/// tensor and casting it (a full-size temporary per tensor), <see cref="SafetensorsFile.ReadInto"/> into a tensor of
/// the target dtype (what <see cref="WeightLoader"/> does), and the finiteness check, against a plain read of the whole
/// file into a byte buffer (the disk or page-cache speed). The file is read once first so that every part sees the
/// page cache.
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
        double readAndCast = 0, readInto = 0, check = 0;
        long bytes = 0;
        var clock = new Stopwatch();
        foreach (var (name, info) in source.Tensors)
        {
            var targetType = SafetensorsDType.KindOf(info.DType) == "floating point" ? dtype : SafetensorsDType.ToScalarType(info.DType);
            clock.Restart();
            using (var stored = source.Read(name))
            using (var cast = stored.to(targetType))
            {
                bytes += stored.NumberOfElements * stored.ElementSize;
            }

            readAndCast += Lap(clock);
            using var target = empty(info.Shape, targetType);
            clock.Restart();
            source.ReadInto(name, target);
            readInto += Lap(clock);
            WeightLoader.IsFinite(target);
            check += Lap(clock);
        }

        double mib = bytes / 1048576.0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{file}: {source.Tensors.Count} tensors, {mib:F0} MiB stored, to {dtype}\n" +
            $"  whole file into a byte buffer        : {raw,6:F2} s ({mib / raw,6:F0} MiB/s)\n" +
            $"  Read (new tensor) + cast             : {readAndCast,6:F2} s\n" +
            $"  ReadInto the target (the loader's)   : {readInto,6:F2} s\n" +
            $"  finiteness check (WeightLoader)      : {check,6:F2} s"));
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
        var buffer = new byte[4 << 20];
        var clock = Stopwatch.StartNew();
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        while (stream.Read(buffer, 0, buffer.Length) > 0)
        {
        }

        return clock.Elapsed.TotalSeconds;
    }
}
