namespace TsdSr.Imaging.Integrity;

/// <summary>
/// Walks a JPEG's marker segments (skipping each by its length, and each scan's entropy-coded data up to the next
/// marker) until the end-of-image marker. Entropy data never holds a marker (0xFF is stuffed as FF 00), so the walk
/// cannot stop early inside a scan; an embedded EXIF thumbnail sits inside an APP1 segment and is skipped whole.
/// </summary>
internal static class JpegMarkers
{
    private const byte Soi = 0xD8, Eoi = 0xD9, Sos = 0xDA;

    public static string? FindTruncation(Stream stream)
    {
        var input = new BufferedStream(stream, 1 << 16);
        if (input.ReadByte() != 0xFF || input.ReadByte() != Soi)
        {
            return null; // not JPEG after all: the decoder will say so
        }

        int marker = NextMarker(input);
        Span<byte> length = stackalloc byte[2];
        while (true)
        {
            if (marker < 0)
            {
                return "the JPEG data ends before its end-of-image marker (the file is truncated).";
            }

            if (marker == Eoi)
            {
                return null;
            }

            if (marker is Soi or 0x01 || (marker >= 0xD0 && marker <= 0xD7))
            {
                marker = NextMarker(input); // standalone markers carry no length
                continue;
            }

            if (!ContainerIntegrity.TryRead(input, length))
            {
                marker = -1;
                continue;
            }

            int segment = (length[0] << 8) | length[1];
            if (segment < 2 || !Skip(input, segment - 2))
            {
                marker = -1;
                continue;
            }

            marker = marker == Sos ? AfterEntropyData(input) : NextMarker(input);
        }
    }

    /// <summary>The next marker code after optional fill bytes, or -1 at the end of the stream.</summary>
    private static int NextMarker(Stream input)
    {
        int b = input.ReadByte();
        if (b != 0xFF)
        {
            return b < 0 ? -1 : AfterEntropyData(input, b); // stray bytes: resynchronise on the next marker
        }

        do
        {
            b = input.ReadByte();
        }
        while (b == 0xFF);
        return b;
    }

    /// <summary>Skips entropy-coded data; returns the marker that ends it, or -1 at the end of the stream.</summary>
    private static int AfterEntropyData(Stream input, int first = 0)
    {
        int previous = first;
        while (true)
        {
            int b = input.ReadByte();
            if (b < 0)
            {
                return -1;
            }

            if (previous == 0xFF && b != 0x00 && b != 0xFF && !(b >= 0xD0 && b <= 0xD7))
            {
                return b;
            }

            previous = b;
        }
    }

    private static bool Skip(Stream input, int count)
    {
        Span<byte> buffer = stackalloc byte[512];
        while (count > 0)
        {
            int n = input.Read(buffer[..Math.Min(count, buffer.Length)]);
            if (n <= 0)
            {
                return false;
            }

            count -= n;
        }

        return true;
    }
}
