using System.Diagnostics.Metrics;

namespace TsdSr.Service.Telemetry;

/// <summary>
/// The service's instruments, on the meter <see cref="MeterName"/>: watch them with
/// <c>dotnet-counters monitor -n TsdSr.Service --counters TsdSr.Service</c> or export them with OpenTelemetry.
/// </summary>
internal sealed class ServiceMetrics
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "TsdSr.Service";

    /// <summary>Images admitted and not yet finished (waiting or being upscaled).</summary>
    public const string QueueLengthName = "tsdsr.service.queue.length";

    /// <summary>Seconds the device spent on each upscaled image (queue wait excluded).</summary>
    public const string ImageDurationName = "tsdsr.service.image.duration";

    /// <summary>Finished upload requests, tagged with their <c>outcome</c>.</summary>
    public const string RequestsName = "tsdsr.service.requests";

    private readonly UpDownCounter<int> queueLength;
    private readonly Histogram<double> imageDuration;
    private readonly Counter<long> requests;

    /// <summary>Creates the instruments on a meter owned by the host's meter factory.</summary>
    public ServiceMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        queueLength = meter.CreateUpDownCounter<int>(QueueLengthName, "{image}", "Images admitted and not yet finished (waiting or being upscaled).");
        imageDuration = meter.CreateHistogram<double>(ImageDurationName, "s", "Seconds the device spent on each upscaled image, queue wait excluded.");
        this.requests = meter.CreateCounter<long>(RequestsName, "{request}", "Finished upload requests by outcome.");
    }

    /// <summary>An image entered (+1) or left (−1) the queue.</summary>
    public void QueueLengthChanged(int delta) => queueLength.Add(delta);

    /// <summary>An image was upscaled in <paramref name="seconds"/>.</summary>
    public void ImageUpscaled(double seconds) => imageDuration.Record(seconds);

    /// <summary>An upload request finished with <paramref name="outcome"/> (one of <see cref="Outcomes"/>).</summary>
    public void RequestFinished(string outcome) => this.requests.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>The values of the <c>outcome</c> tag.</summary>
    public static class Outcomes
    {
        /// <summary>200: the PNG was returned.</summary>
        public const string Upscaled = "upscaled";

        /// <summary>503: the queue was full.</summary>
        public const string QueueFull = "queue_full";

        /// <summary>413: the upload or its pixel count was over the limits.</summary>
        public const string TooLarge = "too_large";

        /// <summary>415 or 400: not a readable PNG, JPEG, BMP or WebP image, or no body.</summary>
        public const string NotAnImage = "not_an_image";

        /// <summary>The client disconnected; the upscale was cancelled.</summary>
        public const string Cancelled = "cancelled";

        /// <summary>500: the upscale failed.</summary>
        public const string Failed = "failed";
    }
}
