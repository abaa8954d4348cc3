using TorchSharp;

namespace TsdSr.Evaluation.Runner;

/// <summary>What to evaluate: folders, metrics and where weights live (the options of <c>tsdsr eval</c>).</summary>
public sealed record EvaluationOptions
{
    /// <summary>Folder of restored (SR) images.</summary>
    public required string SrDirectory { get; init; }

    /// <summary>Folder of ground-truth images paired by file name; null runs no-reference metrics only.</summary>
    public string? HrDirectory { get; init; }

    /// <summary>Optional folder of low-resolution inputs; only checked for matching names (no metric uses it yet).</summary>
    public string? LrDirectory { get; init; }

    /// <summary>
    /// Metric names. Null means the paper's set (<see cref="Metrics.BuiltInMetrics.PaperMetrics"/>) with unavailable
    /// metrics skipped and warned about; an explicit list makes every unavailable metric an error.
    /// </summary>
    public IReadOnlyList<string>? Metrics { get; init; }

    /// <summary>Folder with user-supplied backbone weights.</summary>
    public string? WeightsDirectory { get; init; }

    /// <summary>Device for network metrics; null means CPU.</summary>
    public torch.Device? Device { get; init; }

    /// <summary>
    /// Largest width × height of an image, checked from the header before it is decoded: evaluation memory grows with the
    /// pair size (an 8000² pair takes about 9 GB). Default 16,777,216 (4096², the largest default upscale input).
    /// </summary>
    public long MaxPixels { get; init; } = DefaultMaxPixels;

    /// <summary>The default of <see cref="MaxPixels"/>.</summary>
    public const long DefaultMaxPixels = 4096L * 4096;

    /// <summary>The decoder limits these options describe.</summary>
    public TsdSr.Imaging.ImageLoadOptions ToImageLoadOptions() => new()
    {
        MaxPixels = MaxPixels,
        MaxPixelsSetting = "EvaluationOptions.MaxPixels; tsdsr eval --max-pixels",
    };
}
