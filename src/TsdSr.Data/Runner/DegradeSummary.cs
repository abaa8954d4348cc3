namespace TsdSr.Data.Runner;

/// <summary>What <see cref="DegradeRunner"/> did.</summary>
/// <param name="PairsWritten">Pairs written.</param>
/// <param name="ImagesUsed">HR images that gave at least one pair.</param>
/// <param name="ImagesSkipped">HR images smaller than the crop or flat.</param>
/// <param name="Elapsed">Wall time.</param>
/// <param name="PreviewPath">The contact sheet, when requested.</param>
public sealed record DegradeSummary(long PairsWritten, int ImagesUsed, int ImagesSkipped, TimeSpan Elapsed, string? PreviewPath)
{
    /// <summary>Throughput.</summary>
    public double PairsPerSecond => Elapsed.TotalSeconds > 0 ? PairsWritten / Elapsed.TotalSeconds : 0;

    /// <inheritdoc />
    public override string ToString() =>
        $"{PairsWritten} pairs from {ImagesUsed} images ({ImagesSkipped} skipped) in {Elapsed.TotalSeconds:F1} s ({PairsPerSecond:F2} pairs/s)"
        + (PreviewPath is null ? string.Empty : $"; preview: {PreviewPath}");
}
