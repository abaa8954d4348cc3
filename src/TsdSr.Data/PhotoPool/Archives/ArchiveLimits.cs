namespace TsdSr.Data.PhotoPool.Archives;

/// <summary>
/// Upper bounds the archive readers enforce, so that a hostile archive cannot make them allocate or loop without end.
/// The defaults are far above what the Debian packages hold (the largest <c>.edj</c> is 53 MB, the largest entry 10 MB).
/// </summary>
public sealed record ArchiveLimits
{
    /// <summary>Largest archive file read into memory, in bytes.</summary>
    public long MaxArchiveBytes { get; init; } = 1L << 30;

    /// <summary>Most entries (files and directories) an archive may declare.</summary>
    public int MaxEntries { get; init; } = 100_000;

    /// <summary>Largest entry after decompression, in bytes.</summary>
    public long MaxEntryBytes { get; init; } = 256L << 20;

    /// <summary>Deepest directory nesting (Qt resource trees only).</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>The defaults.</summary>
    public static ArchiveLimits Default { get; } = new();
}
