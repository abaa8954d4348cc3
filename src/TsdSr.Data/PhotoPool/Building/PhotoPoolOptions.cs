using TsdSr.Data.PhotoPool.Archives;
using TsdSr.Imaging;

namespace TsdSr.Data.PhotoPool.Building;

/// <summary>Inputs of <see cref="PhotoPoolBuilder"/>.</summary>
public sealed record PhotoPoolOptions
{
    /// <summary>Folder holding <c>PACKAGE/</c> (a <c>dpkg -x</c> tree) and <c>PACKAGE.version</c> per package.</summary>
    public required string ExtractedRoot { get; init; }

    /// <summary>The pool folder: <c>train/</c>, <c>heldout/</c> and <c>manifest.csv</c> are written here.</summary>
    public required string OutputRoot { get; init; }

    /// <summary>What to build.</summary>
    public PhotoCatalogue Catalogue { get; init; } = PhotoCatalogue.Default;

    /// <summary>Build the catalogue's optional sources (Enlightenment) when their package is extracted; else skip them.</summary>
    public bool IncludeOptional { get; init; }

    /// <summary>Folders of evaluation images that no pool photo may equal (see <see cref="EvaluationGuard"/>).</summary>
    public IReadOnlyList<string> EvaluationFolders { get; init; } = [];

    /// <summary>When set, one contact sheet per source is written here, excluded photos included (for review).</summary>
    public string? ContactSheetFolder { get; init; }

    /// <summary>Decoder limits.</summary>
    public ImageLoadOptions LoadOptions { get; init; } = ImageLoadOptions.Default;

    /// <summary>Archive reader limits.</summary>
    public ArchiveLimits ArchiveLimits { get; init; } = ArchiveLimits.Default;
}
