namespace TsdSr.Data.PhotoPool.Archives;

/// <summary>One entry of an Eet archive.</summary>
/// <param name="Name">Entry name, e.g. <c>edje/images/0</c>.</param>
/// <param name="DataOffset">Offset of the stored bytes in the archive file.</param>
/// <param name="StoredSize">Number of stored bytes.</param>
/// <param name="Size">Number of bytes after decompression (equal to <paramref name="StoredSize"/> when stored as is).</param>
/// <param name="Compression">How the bytes are stored.</param>
/// <param name="IsCiphered">Encrypted with a key; not readable here.</param>
/// <param name="IsAlias">The data is the name of another entry rather than content.</param>
public sealed record EetEntry(string Name, long DataOffset, long StoredSize, long Size, EetCompression Compression, bool IsCiphered, bool IsAlias);
