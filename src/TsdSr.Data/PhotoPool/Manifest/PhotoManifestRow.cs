namespace TsdSr.Data.PhotoPool.Manifest;

/// <summary>One photo of the pool: where it came from, under which licence, and what was written.</summary>
public sealed record PhotoManifestRow
{
    /// <summary><c>train</c> or <c>heldout</c>.</summary>
    public required PhotoSplit Split { get; init; }

    /// <summary>Catalogue source id (also the output subfolder).</summary>
    public required string Source { get; init; }

    /// <summary>Package, file inside it, and archive entry.</summary>
    public required PhotoKey Key { get; init; }

    /// <summary>Debian version of the package the photo was taken from.</summary>
    public required string Version { get; init; }

    /// <summary>Path of the written PNG relative to the pool folder, with <c>/</c> separators.</summary>
    public required string File { get; init; }

    /// <summary>Width after downscaling, in pixels.</summary>
    public required int Width { get; init; }

    /// <summary>Height after downscaling, in pixels.</summary>
    public required int Height { get; init; }

    /// <summary>The downscale factor that was applied (1 or 0.5).</summary>
    public required double Scale { get; init; }

    /// <summary>Licence and attribution.</summary>
    public required PhotoLicence Licence { get; init; }

    /// <summary>SHA-256 (lower-case hex) of the original bytes: the file, or the archive entry.</summary>
    public required string SourceSha256 { get; init; }

    /// <summary>SHA-256 (lower-case hex) of the written PNG file.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Megapixels of the written image.</summary>
    public double Megapixels => (double)Width * Height / 1e6;
}
