namespace TsdSr.Imaging.Integrity;

/// <summary>
/// Finds files whose container ends before its own structure says it should. Decoders fill what a truncated file lacks
/// with transparent or grey pixels and report success, so truncation is decided here, from the container, before the
/// pixels are used: JPEG markers up to the end-of-image marker, PNG chunks up to IEND, the RIFF size of WebP, the file
/// and pixel-array sizes of BMP.
/// </summary>
internal static class ContainerIntegrity
{
    /// <summary>
    /// Why the image in <paramref name="stream"/> (from its current position to its end) is truncated, or null when its
    /// container is complete. <paramref name="format"/> is ImageSharp's format name; other formats are not checked. The
    /// stream position is restored.
    /// </summary>
    public static string? FindTruncation(Stream stream, string format)
    {
        long start = stream.Position;
        try
        {
            return format.ToUpperInvariant() switch
            {
                "JPEG" => JpegMarkers.FindTruncation(stream),
                "PNG" => PngChunks.FindTruncation(stream),
                "WEBP" => RiffSize.FindTruncation(stream),
                "BMP" => BmpSize.FindTruncation(stream),
                _ => null,
            };
        }
        finally
        {
            stream.Position = start;
        }
    }

    /// <summary>Reads exactly <paramref name="buffer"/>.Length bytes, or returns false at the end of the stream.</summary>
    internal static bool TryRead(Stream stream, Span<byte> buffer) => stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) == buffer.Length;
}
