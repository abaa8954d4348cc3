namespace TsdSr.Data.PhotoPool.Manifest;

/// <summary>How a built photo differs from the expected manifest.</summary>
public enum ManifestDifferenceKind
{
    /// <summary>The expected manifest lists it, the build did not produce it.</summary>
    Missing,

    /// <summary>The build produced it, the expected manifest does not list it.</summary>
    Unexpected,

    /// <summary>Both have it, with different values (a new package version, different bytes, another licence…).</summary>
    Changed,
}
