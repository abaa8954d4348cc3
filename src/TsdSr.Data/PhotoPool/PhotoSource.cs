namespace TsdSr.Data.PhotoPool;

/// <summary>
/// One set of photos in one Debian package: which files (and archive entries) hold them, how much to downscale them,
/// where their licence is stated, and which split they go to by default.
/// </summary>
public sealed record PhotoSource
{
    /// <summary>Short unique name; also the output subfolder (<c>train/ID/</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Debian binary package.</summary>
    public required string Package { get; init; }

    /// <summary>Patterns of the files inside the package (see <see cref="PathPattern"/>).</summary>
    public required IReadOnlyList<string> Paths { get; init; }

    /// <summary>What the matching files are.</summary>
    public PhotoContainer Container { get; init; } = PhotoContainer.File;

    /// <summary>Pattern of the image entries inside each archive; required for archives, unused for plain files.</summary>
    public string? Entries { get; init; }

    /// <summary>
    /// Keep only the entry with the most pixels from each archive (Edje wallpapers hold the same photo at about 13
    /// sizes). The photo is then named after the archive alone.
    /// </summary>
    public bool LargestEntryOnly { get; init; }

    /// <summary>Downscale factor applied before writing: 1.0 (native) or 0.5.</summary>
    public double Scale { get; init; } = 1.0;

    /// <summary>Where the licence is read.</summary>
    public LicenceSource Licence { get; init; } = LicenceSource.Fixed;

    /// <summary>The licence for <see cref="LicenceSource.Fixed"/>, and the fallback when the stated one is not found.</summary>
    public PhotoLicence? FixedLicence { get; init; }

    /// <summary>The split of photos not listed in <see cref="PhotoCatalogue.HeldOut"/>.</summary>
    public PhotoSplit Split { get; init; } = PhotoSplit.Train;

    /// <summary>Built only when asked for (<see cref="Building.PhotoPoolOptions.IncludeOptional"/>) and its package has been extracted (a large download); otherwise skipped without error.</summary>
    public bool Optional { get; init; }

    /// <summary>One line on what the photos are, for summaries.</summary>
    public string Description { get; init; } = "";
}
