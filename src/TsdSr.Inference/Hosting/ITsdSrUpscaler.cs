using TsdSr.Imaging;

namespace TsdSr.Inference.Hosting;

/// <summary>
/// The upscaler as hosts see it: what <see cref="TsdSrUpscaler"/> does, as an interface so that a host can put a fake
/// in its own tests (register one after <c>services.AddTsdSr(...)</c>; the last registration wins). <c>AddTsdSr</c>
/// registers <see cref="TsdSrUpscaler"/> as the implementation; the container owns it and disposes it.
/// </summary>
public interface ITsdSrUpscaler
{
    /// <summary>The options in use.</summary>
    TsdSrOptions Options { get; }

    /// <summary>Whether the models are loaded.</summary>
    bool IsLoaded { get; }

    /// <summary>The device the models run on, or null before loading.</summary>
    string? Device { get; }

    /// <inheritdoc cref="TsdSrUpscaler.LoadAsync"/>
    Task LoadAsync(IProgress<TsdSrProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="TsdSrUpscaler.UpscaleAsync(RgbImage, UpscaleSettings?, IProgress{TsdSrProgress}?, CancellationToken)"/>
    Task<RgbImage> UpscaleAsync(RgbImage image, UpscaleSettings? settings = null, IProgress<TsdSrProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="TsdSrUpscaler.UpscaleAsync(string, string, UpscaleSettings?, IProgress{TsdSrProgress}?, CancellationToken)"/>
    Task<UpscaleResult> UpscaleAsync(string inputPath, string outputPath, UpscaleSettings? settings = null, IProgress<TsdSrProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="TsdSrUpscaler.UpscaleAsync(Stream, Stream, UpscaleSettings?, IProgress{TsdSrProgress}?, CancellationToken)"/>
    Task<UpscaleResult> UpscaleAsync(Stream input, Stream pngOutput, UpscaleSettings? settings = null, IProgress<TsdSrProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="TsdSrUpscaler.UpscaleFolderAsync"/>
    IAsyncEnumerable<UpscaleResult> UpscaleFolderAsync(string inputFolder, string outputFolder, UpscaleSettings? settings = null, IProgress<TsdSrProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="TsdSrUpscaler.PlanFile"/>
    UpscaleBatch PlanFile(string inputPath, string outputPath, UpscaleSettings? settings = null);

    /// <inheritdoc cref="TsdSrUpscaler.PlanFolder"/>
    UpscaleBatch PlanFolder(string inputFolder, string outputFolder, UpscaleSettings? settings = null);

    /// <inheritdoc cref="TsdSrUpscaler.RunAsync"/>
    IAsyncEnumerable<UpscaleResult> RunAsync(UpscaleBatch batch, IProgress<TsdSrProgress>? progress = null, CancellationToken cancellationToken = default);
}
