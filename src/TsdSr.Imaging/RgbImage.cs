namespace TsdSr.Imaging;

/// <summary>An 8-bit RGB image in row-major, interleaved (H, W, 3) layout, with an optional 8-bit alpha plane.</summary>
public sealed class RgbImage
{
    /// <summary>Creates an image over existing pixel data (not copied).</summary>
    /// <exception cref="ArgumentException">The buffer sizes do not match the dimensions.</exception>
    public RgbImage(int width, int height, byte[] pixels, byte[]? alpha = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.LongLength != (long)width * height * 3)
        {
            throw new ArgumentException($"Expected {(long)width * height * 3} RGB bytes for {width}x{height}, got {pixels.LongLength}.", nameof(pixels));
        }

        if (alpha is not null && alpha.LongLength != (long)width * height)
        {
            throw new ArgumentException($"Expected {(long)width * height} alpha bytes for {width}x{height}, got {alpha.LongLength}.", nameof(alpha));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
        Alpha = alpha;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>RGB bytes, (H, W, 3) row-major.</summary>
    public byte[] Pixels { get; }

    /// <summary>Alpha bytes, (H, W) row-major, or null for opaque images.</summary>
    public byte[]? Alpha { get; }
}
