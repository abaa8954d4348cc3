using Microsoft.Extensions.Logging;

namespace TsdSr.Service.Telemetry;

/// <summary>The service's structured log messages (source-generated; every value is a named property).</summary>
internal static partial class ServiceLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Upscaled {InputWidth}x{InputHeight} to {OutputWidth}x{OutputHeight} in {Seconds:F2} s on the device ({QueueLength} images in the service)")]
    public static partial void Upscaled(ILogger logger, int inputWidth, int inputHeight, int outputWidth, int outputHeight, double seconds, int queueLength);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Rejected an upload: the queue is full ({QueueCapacity} images); Retry-After {RetryAfterSeconds} s")]
    public static partial void QueueFull(ILogger logger, int queueCapacity, int retryAfterSeconds);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Rejected an upload ({StatusCode}): {Reason}")]
    public static partial void Rejected(ILogger logger, int statusCode, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "The client disconnected; its upscale was cancelled after {Seconds:F2} s")]
    public static partial void Cancelled(ILogger logger, double seconds);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "An upscale failed")]
    public static partial void Failed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "The models failed to load; the service is not ready")]
    public static partial void LoadFailed(ILogger logger, Exception exception);
}
