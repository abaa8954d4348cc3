namespace TsdSr.Data.PhotoPool.Archives;

/// <summary>
/// A resource archive (Qt <c>.rcc</c>, Enlightenment <c>.edj</c>) is truncated, malformed, over a limit, or uses a
/// feature the reader does not support. Raised before any out-of-range read or oversized allocation happens.
/// </summary>
public sealed class ArchiveFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ArchiveFormatException(string archive, string message, Exception? inner = null)
        : base($"Archive '{archive}': {message}", inner)
    {
        Archive = archive;
    }

    /// <summary>The archive's path or display name.</summary>
    public string Archive { get; }
}
