using Microsoft.Extensions.Logging;

namespace TsdSr.Inference.Hosting;

/// <summary>
/// Forwards a pipeline's progress reports to the caller's <see cref="IProgress{T}"/>, stamped with the image name, and
/// logs them at Debug level (tiles i/N). Runs synchronously on the worker thread that reports.
/// </summary>
internal sealed class StageProgress(IProgress<TsdSrProgress>? inner, ILogger logger, string? imageName) : IProgress<TsdSrProgress>
{
    public void Report(TsdSrProgress value)
    {
        if (imageName is not null && value.ImageName is null)
        {
            value = value with { ImageName = imageName };
        }

        TsdSrUpscalerLog.StageProgress(logger, value.ImageName ?? "image", value.Stage, value.Current, value.Total);
        inner?.Report(value);
    }
}
