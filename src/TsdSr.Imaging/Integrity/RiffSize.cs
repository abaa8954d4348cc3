using System.Buffers.Binary;

namespace TsdSr.Imaging.Integrity;

/// <summary>Compares a WebP file's RIFF size field with the bytes that actually follow it.</summary>
internal static class RiffSize
{
    public static string? FindTruncation(Stream stream)
    {
        Span<byte> header = stackalloc byte[8];
        if (!ContainerIntegrity.TryRead(stream, header) || !header[..4].SequenceEqual("RIFF"u8))
        {
            return null;
        }

        long declared = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        long present = stream.Length - stream.Position;
        return present < declared
            ? $"the WebP file declares {declared} bytes of data but only {present} follow (the file is truncated)."
            : null;
    }
}
