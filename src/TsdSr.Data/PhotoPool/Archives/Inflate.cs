using System.IO.Compression;

namespace TsdSr.Data.PhotoPool.Archives;

/// <summary>zlib decompression to a size the archive declared, never writing past it.</summary>
internal static class Inflate
{
    /// <summary>
    /// Inflates a zlib stream that must expand to exactly <paramref name="expectedSize"/> bytes. A stream that is
    /// corrupt, ends early or holds more data than declared is an <see cref="ArchiveFormatException"/>.
    /// </summary>
    public static byte[] Zlib(ReadOnlySpan<byte> compressed, long expectedSize, ArchiveLimits limits, string archive, string entry)
    {
        if (expectedSize < 0 || expectedSize > limits.MaxEntryBytes)
        {
            throw new ArchiveFormatException(archive, $"entry '{entry}' declares {expectedSize} uncompressed bytes; the limit is {limits.MaxEntryBytes} (ArchiveLimits.MaxEntryBytes).");
        }

        var output = new byte[expectedSize];
        try
        {
            using var source = new MemoryStream(compressed.ToArray(), writable: false);
            using var zlib = new ZLibStream(source, CompressionMode.Decompress);
            int filled = 0;
            while (filled < output.Length)
            {
                int n = zlib.Read(output, filled, output.Length - filled);
                if (n == 0)
                {
                    throw new ArchiveFormatException(archive, $"entry '{entry}' inflates to {filled} bytes, fewer than the {expectedSize} declared.");
                }

                filled += n;
            }

            // One more byte means the stream is longer than declared; the size field is then not to be trusted.
            if (zlib.Read(new byte[1], 0, 1) != 0)
            {
                throw new ArchiveFormatException(archive, $"entry '{entry}' inflates to more than the {expectedSize} bytes declared.");
            }
        }
        catch (InvalidDataException e)
        {
            throw new ArchiveFormatException(archive, $"entry '{entry}' is not a valid zlib stream ({e.Message}).", e);
        }

        return output;
    }
}
