namespace TsdSr.Data.PhotoPool.Archives;

/// <summary>How a Qt resource entry's bytes are stored.</summary>
public enum RccCompression
{
    /// <summary>Stored as is.</summary>
    None,

    /// <summary>Qt's <c>qCompress</c>: a 4-byte big-endian uncompressed size, then a zlib stream.</summary>
    Zlib,

    /// <summary>A zstd frame (Qt 5.13 and later); listed but not readable here.</summary>
    Zstd,
}
