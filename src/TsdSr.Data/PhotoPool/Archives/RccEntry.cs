namespace TsdSr.Data.PhotoPool.Archives;

/// <summary>One file in a Qt resource archive.</summary>
/// <param name="Path">Resource path without the leading <c>:/</c>, e.g. <c>gcompris/src/activities/erase/resource/giraffe.webp</c>.</param>
/// <param name="Compression">How the bytes are stored.</param>
/// <param name="DataOffset">Offset of the stored bytes (after their 4-byte length) in the archive file.</param>
/// <param name="StoredSize">Number of stored bytes.</param>
/// <param name="Territory">Qt territory (country) of a localised entry; 0 for any.</param>
/// <param name="Language">Qt language of a localised entry; 0 (C) or 1 (any) for unlocalised ones.</param>
public sealed record RccEntry(string Path, RccCompression Compression, long DataOffset, long StoredSize, ushort Territory, ushort Language);
