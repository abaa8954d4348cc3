using TsdSr.Imaging;

namespace TsdSr.Inference;

/// <summary>
/// A loaded TSD-SR model. Calls are synchronous, run on the calling thread and are not thread-safe: hosts serialise
/// them (see <c>TsdSrUpscaler</c>).
/// </summary>
public interface ITsdSrPipeline : IDisposable
{
    /// <summary>Device the models run on (e.g. "cpu", "cuda:0").</summary>
    string Device { get; }

    /// <summary>Upscales one image. Cancellation is checked between tiles and stages.</summary>
    RgbImage Upscale(RgbImage input, UpscaleSettings settings, IProgress<TsdSrProgress>? progress = null, CancellationToken cancellationToken = default);
}
