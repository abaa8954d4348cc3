namespace TsdSr.Data.PhotoPool.Archives;

/// <summary>How an Eet entry's bytes are stored.</summary>
public enum EetCompression
{
    /// <summary>Stored as is (Edje stores its JPEG images this way).</summary>
    None,

    /// <summary>zlib (compression types 0–9).</summary>
    Zlib,

    /// <summary>LZ4 or LZ4HC (compression types 10 and 11); listed but not readable here.</summary>
    Lz4,
}
