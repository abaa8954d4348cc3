namespace TsdSr.Data.Runner;

/// <summary>What <see cref="DegradeRunner"/> did.</summary>
/// <param name="PairsWritten">Pairs written.</param>
/// <param name="ImagesUsed">HR images that gave at least one pair.</param>
/// <param name="ImagesSkipped">HR images that gave no pair: smaller than the crop, flat, or unreadable (see <see cref="Skipped"/>).</param>
/// <param name="Elapsed">Wall time.</param>
/// <param name="PreviewPath">The contact sheet, when requested.</param>
public sealed record DegradeSummary(long PairsWritten, int ImagesUsed, int ImagesSkipped, TimeSpan Elapsed, string? PreviewPath)
{
    /// <summary>Every image that gave no pair, with its reason.</summary>
    public IReadOnlyList<DegradeSkip> Skipped { get; init; } = [];

    /// <summary>Pairs of <see cref="PairsWritten"/> that a resumed run found complete and kept.</summary>
    public long PairsKept { get; init; }

    /// <summary>Images that could not be read (a subset of <see cref="Skipped"/>).</summary>
    public int ImagesFailed => Skipped.Count(s => s.Failed);

    /// <summary>Throughput.</summary>
    public double PairsPerSecond => Elapsed.TotalSeconds > 0 ? PairsWritten / Elapsed.TotalSeconds : 0;

    /// <inheritdoc />
    public override string ToString() =>
        $"{PairsWritten} pairs from {ImagesUsed} images ({ImagesSkipped} skipped) in {Elapsed.TotalSeconds:F1} s ({PairsPerSecond:F2} pairs/s)"
        + (PairsKept > 0 ? $"; {PairsKept} of them kept from the interrupted run" : string.Empty)
        + (PreviewPath is null ? string.Empty : $"; preview: {PreviewPath}");
}
