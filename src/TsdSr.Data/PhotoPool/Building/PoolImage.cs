using System.Security.Cryptography;
using TsdSr.Imaging;
using TsdSr.Imaging.Resampling;

namespace TsdSr.Data.PhotoPool.Building;

/// <summary>Decoding, downscaling and PNG encoding of one pool photo, plus the hashes the manifest records.</summary>
public static class PoolImage
{
    /// <summary>
    /// The size after scaling: each side multiplied by <paramref name="scale"/> and rounded down (an odd side loses
    /// its half pixel), at least 1.
    /// </summary>
    public static (int Width, int Height) ScaledSize(int width, int height, double scale) =>
        (Math.Max(1, (int)Math.Floor(width * scale)), Math.Max(1, (int)Math.Floor(height * scale)));

    /// <summary>Decodes <paramref name="encoded"/> to 8-bit RGB, upright per EXIF.</summary>
    /// <exception cref="ImageFormatException">Not a decodable image, over the loader's limits, or with transparent pixels.</exception>
    public static RgbImage Decode(byte[] encoded, string name, ImageLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        using var stream = new MemoryStream(encoded, writable: false);
        var image = ImageCodec.Load(stream, name, options);
        if (image.Alpha is not null)
        {
            // The colour under transparent pixels is arbitrary; a photo for training must be opaque.
            throw new ImageFormatException(name, "the image has transparent pixels; pool photos must be opaque.");
        }

        return image;
    }

    /// <summary>
    /// Downscales to <see cref="ScaledSize"/> with Pillow's bicubic filter (bit-exact to Pillow, antialiased when
    /// shrinking); scale 1 returns the image itself.
    /// </summary>
    public static RgbImage Downscale(RgbImage image, double scale)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (w, h) = ScaledSize(image.Width, image.Height, scale);
        return w == image.Width && h == image.Height ? image : PillowResize.Bicubic(image, w, h);
    }

    /// <summary>The image as PNG bytes (8-bit RGB; ImageSharp's encoder is deterministic for a given version).</summary>
    public static byte[] EncodePng(RgbImage image)
    {
        using var buffer = new MemoryStream();
        ImageCodec.EncodePng(image, buffer);
        return buffer.ToArray();
    }

    /// <summary>Lower-case hex SHA-256 of the bytes.</summary>
    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Lower-case hex SHA-256 of a file's bytes.</summary>
    public static string Sha256File(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>
    /// Lower-case hex SHA-256 of the decoded pixels (width and height as 32-bit little-endian, then the RGB bytes):
    /// equal for the same picture in different files or encodings.
    /// </summary>
    public static string PixelSha256(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> size = stackalloc byte[8];
        BitConverter.TryWriteBytes(size[..4], image.Width);
        BitConverter.TryWriteBytes(size[4..], image.Height);
        hash.AppendData(size);
        hash.AppendData(image.Pixels);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Writes bytes to a file through a temporary file in the same folder, so no half-written file is left.</summary>
    public static void WriteAtomically(string path, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
