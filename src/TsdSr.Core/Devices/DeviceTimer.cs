using System.Diagnostics;
using TorchSharp;

namespace TsdSr.Core.Devices;

/// <summary>
/// Wall-clock timing of work queued on a device. CUDA kernels run asynchronously, so a plain stopwatch would time
/// only the launches: on CUDA the device is synchronised before the clock starts and before it stops. TorchSharp
/// 0.107 exposes no CUDA events (<c>torch.cuda.Event</c>), so this is the event-free equivalent for whole stages
/// (it adds one synchronisation per measurement, whose cost has not been measured here: no GPU was available). On the
/// CPU it is a stopwatch.
/// </summary>
public static class DeviceTimer
{
    /// <summary>Runs <paramref name="work"/> and returns the seconds it took on <paramref name="device"/>.</summary>
    public static double Time(torch.Device device, Action work)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(work);
        Synchronize(device);
        var clock = Stopwatch.StartNew();
        work();
        Synchronize(device);
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>The best (smallest) of <paramref name="repetitions"/> timings after <paramref name="warmups"/> untimed runs.</summary>
    public static double Best(torch.Device device, int repetitions, Action work, int warmups = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repetitions, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(warmups);
        for (int i = 0; i < warmups; i++)
        {
            Time(device, work);
        }

        double best = double.PositiveInfinity;
        for (int i = 0; i < repetitions; i++)
        {
            best = Math.Min(best, Time(device, work));
        }

        return best;
    }

    /// <summary>Waits for the device's queued work (CUDA); returns at once for the CPU.</summary>
    public static void Synchronize(torch.Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.type == DeviceType.CUDA)
        {
            torch.cuda.synchronize(device);
        }
    }
}
