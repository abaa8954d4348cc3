using System.Buffers.Binary;

namespace TsdSr.Imaging.Integrity;

/// <summary>Walks a PNG's chunks (length, type, data, CRC) until IEND, without reading chunk data.</summary>
internal static class PngChunks
{
    public static string? FindTruncation(Stream stream)
    {
        Span<byte> signature = stackalloc byte[8];
        if (!ContainerIntegrity.TryRead(stream, signature) || signature[1] != (byte)'P')
        {
            return null; // not PNG after all: the decoder will say so
        }

        Span<byte> header = stackalloc byte[8];
        long end = stream.Length;
        while (true)
        {
            if (!ContainerIntegrity.TryRead(stream, header))
            {
                return "the PNG data ends before its IEND chunk (the file is truncated).";
            }

            long length = BinaryPrimitives.ReadUInt32BigEndian(header);
            var type = System.Text.Encoding.ASCII.GetString(header[4..]);
            if (type == "IEND")
            {
                return null;
            }

            long next = stream.Position + length + 4;
            if (next > end)
            {
                return $"the PNG chunk '{type}' runs {next - end} byte(s) past the end of the file (the file is truncated).";
            }

            stream.Position = next;
        }
    }
}
