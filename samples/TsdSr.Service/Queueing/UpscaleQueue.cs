using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using TsdSr.Service.Telemetry;

namespace TsdSr.Service.Queueing;

/// <summary>
/// Admission to the upscaler: at most <see cref="ServiceOptions.QueueCapacity"/> images at once (waiting or being
/// upscaled). <c>TsdSrUpscaler</c> runs one image at a time and queues the rest without limit; this bound is what keeps
/// a burst of uploads from piling up memory and latency, and what tells a client when to come back.
/// </summary>
internal sealed class UpscaleQueue
{
    /// <summary>The per-image estimate before any image has been measured.</summary>
    private const double InitialSecondsPerImage = 5;

    private readonly ServiceMetrics metrics;
    private readonly Lock averageLock = new();
    private int count;
    private double secondsPerImage = InitialSecondsPerImage;
    private bool measured;

    /// <summary>Creates the queue with the configured capacity.</summary>
    public UpscaleQueue(IOptions<ServiceOptions> options, ServiceMetrics metrics)
    {
        Capacity = options.Value.QueueCapacity;
        this.metrics = metrics;
    }

    /// <summary>The most images admitted at once.</summary>
    public int Capacity { get; }

    /// <summary>Images admitted and not yet finished.</summary>
    public int Count => Volatile.Read(ref this.count);

    /// <summary>Admits one image when there is room; the lease gives the place back when disposed.</summary>
    public bool TryEnter([NotNullWhen(true)] out IDisposable? lease)
    {
        while (true)
        {
            int count = Volatile.Read(ref this.count);
            if (count >= Capacity)
            {
                lease = null;
                return false;
            }

            if (Interlocked.CompareExchange(ref this.count, count + 1, count) == count)
            {
                this.metrics.QueueLengthChanged(+1);
                lease = new Lease(this);
                return true;
            }
        }
    }

    /// <summary>Feeds the Retry-After estimate with the time one image took on the device.</summary>
    public void RecordImageSeconds(double seconds)
    {
        lock (averageLock)
        {
            // An exponential average follows a change of image sizes within a few uploads.
            secondsPerImage = measured ? 0.7 * secondsPerImage + 0.3 * seconds : seconds;
            measured = true;
        }
    }

    /// <summary>When a rejected client should try again: the images ahead of it times the seconds per image, 1–3600 s.</summary>
    public int RetryAfterSeconds()
    {
        double perImage;
        lock (averageLock)
        {
            perImage = secondsPerImage;
        }

        return (int)Math.Clamp(Math.Ceiling(perImage * Math.Max(Count, 1)), 1, 3600);
    }

    private void Leave()
    {
        Interlocked.Decrement(ref this.count);
        this.metrics.QueueLengthChanged(-1);
    }

    /// <summary>One admitted image; disposing it twice gives the place back once.</summary>
    private sealed class Lease(UpscaleQueue queue) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                queue.Leave();
            }
        }
    }
}
