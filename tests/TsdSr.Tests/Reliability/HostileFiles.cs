using System.Buffers.Binary;
using TsdSr.Core.SafeTensors;
using TsdSr.Imaging;

namespace TsdSr.Tests.Reliability;

/// <summary>Crafts the hostile files of the corpus: headers that lie, truncated containers, weights with bad values.</summary>
internal static class HostileFiles
{
    /// <summary>A flat grey image.</summary>
    public static RgbImage Flat(int width, int height, byte value = 100) => new(width, height, Enumerable.Repeat(value, width * height * 3).ToArray());

    /// <summary>A noisy image (every codec needs all of its data).</summary>
    public static RgbImage Noise(int width, int height, int seed = 1)
    {
        var px = new byte[width * height * 3];
        new Random(seed).NextBytes(px);
        return new RgbImage(width, height, px);
    }

    /// <summary>A PNG whose IHDR claims <paramref name="width"/> × <paramref name="height"/> with a few bytes of data: a pixel bomb.</summary>
    public static string PngHeaderOnly(string path, int width, int height)
    {
        using var ms = new MemoryStream();
        ms.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // RGB
        Chunk(ms, "IHDR", ihdr);
        Chunk(ms, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        Chunk(ms, "IEND", []);
        File.WriteAllBytes(path, ms.ToArray());
        return path;
    }

    /// <summary>A noisy JPEG cut in half: decoders fill the missing rows and report success.</summary>
    public static string TruncatedJpeg(string path, int width = 64, int height = 64)
    {
        ImageCodec.Save(Noise(width, height), path, new ImageSaveOptions { Overwrite = true });
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        return path;
    }

    /// <summary>Rewrites a safetensors file with <paramref name="edit"/> applied to its tensors.</summary>
    public static void EditSafetensors(string path, Action<Dictionary<string, Tensor>> edit)
    {
        var tensors = SafetensorsFile.LoadAll(path);
        try
        {
            edit(tensors);
            SafetensorsWriter.Save(path, tensors);
        }
        finally
        {
            foreach (var t in tensors.Values)
            {
                t.Dispose();
            }
        }
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        s.Write(length);
        var typed = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        s.Write(typed);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        s.Write(crc);
    }

    /// <summary>The CRC-32 PNG chunks carry (polynomial 0xEDB88320).</summary>
    private static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }
}
