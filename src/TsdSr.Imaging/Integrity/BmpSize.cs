using System.Buffers.Binary;

namespace TsdSr.Imaging.Integrity;

/// <summary>Compares a BMP file's declared file size and, for uncompressed bitmaps, its pixel-array size with the file's length.</summary>
internal static class BmpSize
{
    public static string? FindTruncation(Stream stream)
    {
        Span<byte> header = stackalloc byte[34];
        long start = stream.Position;
        long present = stream.Length - start;
        if (!ContainerIntegrity.TryRead(stream, header) || header[0] != (byte)'B' || header[1] != (byte)'M')
        {
            return null;
        }

        long declared = BinaryPrimitives.ReadUInt32LittleEndian(header[2..]);
        if (declared > 26 && present < declared)
        {
            return $"the BMP file declares {declared} bytes but has {present} (the file is truncated).";
        }

        long pixelOffset = BinaryPrimitives.ReadUInt32LittleEndian(header[10..]);
        long width = BinaryPrimitives.ReadInt32LittleEndian(header[18..]);
        long height = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(header[22..]));
        int bitsPerPixel = BinaryPrimitives.ReadUInt16LittleEndian(header[28..]);
        uint compression = BinaryPrimitives.ReadUInt32LittleEndian(header[30..]);
        if (compression != 0 || width <= 0 || bitsPerPixel == 0)
        {
            return null; // compressed rows have no fixed size; the decoder checks them
        }

        long stride = ((width * bitsPerPixel) + 31) / 32 * 4;
        long needed = pixelOffset + (stride * height);
        return present < needed
            ? $"the BMP pixel rows need {needed} bytes but the file has {present} (the file is truncated)."
            : null;
    }
}
