using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using TsdSr.Imaging;
using TsdSr.Inference;
using TsdSr.Inference.Hosting;
using TsdSr.Service.Queueing;
using TsdSr.Service.Telemetry;
using Outcomes = TsdSr.Service.Telemetry.ServiceMetrics.Outcomes;

namespace TsdSr.Service.Endpoints;

/// <summary>
/// <c>POST /upscale</c>: the request body is one image (PNG, JPEG, BMP or WebP), the response the 4× PNG.
/// 413 when the body or the image's pixel count is over <see cref="TsdSrOptions"/>' limits, 415 when the body is not
/// such an image, 503 with Retry-After when the queue is full. A client that disconnects cancels its upscale.
/// </summary>
internal static class UpscaleEndpoint
{
    /// <summary>The route.</summary>
    public const string Route = "/upscale";

    /// <summary>Handles one upload.</summary>
    public static async Task<IResult> HandleAsync(HttpContext context, ITsdSrUpscaler upscaler, UpscaleQueue queue, ServiceMetrics metrics, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(UpscaleEndpoint).FullName!);
        var limits = upscaler.Options;
        var aborted = context.RequestAborted;

        // A declared length over the limit is refused before taking a place in the queue or reading a byte.
        if (context.Request.ContentLength > limits.MaxInputFileBytes)
        {
            return Reject(StatusCodes.Status413PayloadTooLarge, Outcomes.TooLarge, $"The upload has {context.Request.ContentLength} bytes, over the limit of {limits.MaxInputFileBytes}.");
        }

        if (!queue.TryEnter(out var lease))
        {
            int retryAfter = queue.RetryAfterSeconds();
            context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            metrics.RequestFinished(Outcomes.QueueFull);
            ServiceLog.QueueFull(logger, queue.Capacity, retryAfter);
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The upscale queue is full.",
                detail: $"{queue.Capacity} images are waiting or being upscaled; retry in {retryAfter} s.");
        }

        var started = Stopwatch.GetTimestamp();
        using (lease)
        {
            using var upload = await ReadBodyAsync(context, limits.MaxInputFileBytes, aborted);
            if (upload is null)
            {
                return Reject(StatusCodes.Status413PayloadTooLarge, Outcomes.TooLarge, $"The upload is over the limit of {limits.MaxInputFileBytes} bytes.");
            }

            if (upload.Length == 0)
            {
                return Reject(StatusCodes.Status400BadRequest, Outcomes.NotAnImage, "The request has no body: send the image as the body.");
            }

            // The header is read first, so that an oversized image is refused before any pixel is decoded.
            int width, height;
            try
            {
                (width, height) = ImageCodec.Identify(upload, "upload");
            }
            catch (ImageFormatException e)
            {
                return Reject(StatusCodes.Status415UnsupportedMediaType, Outcomes.NotAnImage, e.Message);
            }

            if ((long)width * height > limits.MaxInputPixels)
            {
                return Reject(StatusCodes.Status413PayloadTooLarge, Outcomes.TooLarge, $"The image is {width}x{height}, over the limit of {limits.MaxInputPixels} pixels.");
            }

            upload.Position = 0;
            var png = new MemoryStream();
            var device = new DeviceTime();
            UpscaleResult result;
            try
            {
                result = await upscaler.UpscaleAsync(upload, png, progress: device, cancellationToken: aborted);
            }
            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
            {
                metrics.RequestFinished(Outcomes.Cancelled);
                ServiceLog.Cancelled(logger, Stopwatch.GetElapsedTime(started).TotalSeconds);
                return Results.Empty;
            }
            catch (ImageFormatException e)
            {
                return Reject(StatusCodes.Status415UnsupportedMediaType, Outcomes.NotAnImage, e.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                metrics.RequestFinished(Outcomes.Failed);
                ServiceLog.Failed(logger, e);
                return Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "The upscale failed.", detail: e.Message);
            }

            double seconds = device.Seconds ?? Stopwatch.GetElapsedTime(started).TotalSeconds;
            queue.RecordImageSeconds(seconds);
            metrics.ImageUpscaled(seconds);
            metrics.RequestFinished(Outcomes.Upscaled);
            ServiceLog.Upscaled(logger, result.InputWidth, result.InputHeight, result.OutputWidth, result.OutputHeight, seconds, queue.Count);
            // The standard Server-Timing header lets the page (and any client) show the device time.
            context.Response.Headers["Server-Timing"] = FormattableString.Invariant($"upscale;dur={seconds * 1000:F0};desc=\"device time\"");
            png.Position = 0;
            return Results.Stream(png, "image/png");
        }

        IResult Reject(int status, string outcome, string reason)
        {
            metrics.RequestFinished(outcome);
            ServiceLog.Rejected(logger, status, reason);
            return Results.Problem(statusCode: status, detail: reason);
        }
    }

    /// <summary>The body in memory, or null when it is longer than <paramref name="maxBytes"/> (chunked uploads declare no length).</summary>
    private static async Task<MemoryStream?> ReadBodyAsync(HttpContext context, long maxBytes, CancellationToken cancellationToken)
    {
        // Kestrel's own default cap (30 MB) would answer 413 before the configured limit; the limit here is TsdSrOptions'.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = maxBytes;
        }

        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    await buffer.DisposeAsync();
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await buffer.DisposeAsync();
            return null;
        }

        buffer.Position = 0;
        return buffer;
    }

    /// <summary>
    /// The time the device spent on the image: the pipeline's progress reports carry the time since the image's
    /// upscale began, so the last one (the Done stage) is that time with the queue wait and the model load left out.
    /// </summary>
    private sealed class DeviceTime : IProgress<TsdSrProgress>
    {
        public double? Seconds { get; private set; }

        public void Report(TsdSrProgress value)
        {
            if (value.Stage != TsdSrStage.Loading)
            {
                Seconds = value.Elapsed.TotalSeconds;
            }
        }
    }
}
