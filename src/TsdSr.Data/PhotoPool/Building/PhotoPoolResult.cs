using TsdSr.Data.PhotoPool.Manifest;

namespace TsdSr.Data.PhotoPool.Building;

/// <summary>What a build produced.</summary>
public sealed record PhotoPoolResult
{
    /// <summary>The photos written (also saved as <c>manifest.csv</c> in the pool folder).</summary>
    public required PhotoManifest Manifest { get; init; }

    /// <summary>Each catalogue source and what happened to it.</summary>
    public required IReadOnlyList<SourceOutcome> Sources { get; init; }

    /// <summary>Matched photos kept out by an exclusion.</summary>
    public required IReadOnlyList<ExcludedPhoto> Excluded { get; init; }

    /// <summary>Photos and sources that failed.</summary>
    public required IReadOnlyList<PhotoFailure> Failures { get; init; }

    /// <summary>Photos encoded and written in this build.</summary>
    public required int Written { get; init; }

    /// <summary>Photos whose PNG from an earlier build was verified and kept.</summary>
    public required int Kept { get; init; }

    /// <summary>Files removed from <c>train/</c> and <c>heldout/</c> because the manifest no longer lists them.</summary>
    public required IReadOnlyList<string> Removed { get; init; }

    /// <summary>Ids of the sources that were built (the scope a manifest comparison should use).</summary>
    public IReadOnlySet<string> BuiltSources => Sources.Where(s => s.Status == SourceStatus.Built).Select(s => s.Source.Id).ToHashSet(StringComparer.Ordinal);
}
