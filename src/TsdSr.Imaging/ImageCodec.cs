using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace TsdSr.Imaging;

/// <summary>
/// Decodes and encodes images with ImageSharp, restricted to PNG, JPEG, BMP and WebP. Dimensions are read from the
/// header and checked against <see cref="ImageLoadOptions"/> before any pixel buffer is allocated.
/// </summary>
public static class ImageCodec
{
    /// <summary>The ImageSharp configuration with only the accepted formats.</summary>
    internal static Configuration Configuration { get; } = new(
        new PngConfigurationModule(), new JpegConfigurationModule(), new BmpConfigurationModule(), new WebpConfigurationModule());

    /// <summary>File extensions of the accepted formats.</summary>
    public static IReadOnlyList<string> SupportedExtensions { get; } = [".png", ".jpg", ".jpeg", ".bmp", ".webp"];

    /// <summary>Reads width and height from the header without decoding.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ImageFormatException">Not a PNG, JPEG, BMP or WebP image.</exception>
    public static (int Width, int Height) Identify(string path)
    {
        using var stream = OpenChecked(path, ImageLoadOptions.Default);
        var info = IdentifyStream(path, stream);
        return (info.Width, info.Height);
    }

    /// <summary>Reads width and height from an image held in a stream, without decoding the pixels.</summary>
    /// <exception cref="ImageFormatException">Not a PNG, JPEG, BMP or WebP image.</exception>
    public static (int Width, int Height) Identify(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var info = IdentifyStream(name, stream);
        return (info.Width, info.Height);
    }

    /// <summary>Decodes an image to 8-bit RGB (plus alpha when any pixel is not opaque), upright per EXIF.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ImageFormatException">Unsupported, corrupt, or over the limits.</exception>
    public static RgbImage Load(string path, ImageLoadOptions? options = null)
    {
        options ??= ImageLoadOptions.Default;
        using var stream = OpenChecked(path, options);
        return Decode(path, stream, options);
    }

    /// <summary>Decodes an image from a stream (see <see cref="Load(string, ImageLoadOptions?)"/>).</summary>
    public static RgbImage Load(Stream stream, string name, ImageLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= ImageLoadOptions.Default;
        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }

        return Decode(name, stream, options);
    }

    /// <summary>Writes an image as PNG (RGBA when it has alpha). The file is written under a temporary name first.</summary>
    public static void SavePng(RgbImage image, string path)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            using (var fs = File.Create(temp))
            {
                EncodePng(image, fs);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Encodes an image as PNG into a stream.</summary>
    public static void EncodePng(RgbImage image, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Alpha is null)
        {
            using var img = Image.LoadPixelData<Rgb24>(Configuration, image.Pixels, image.Width, image.Height);
            img.SaveAsPng(destination, new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8 });
        }
        else
        {
            using var img = ToRgba(image);
            img.SaveAsPng(destination, new PngEncoder { ColorType = PngColorType.RgbWithAlpha, BitDepth = PngBitDepth.Bit8 });
        }
    }

    /// <summary>Encodes an image as baseline JPEG (4:2:0) at <paramref name="quality"/> (1–100) into a stream.</summary>
    public static void EncodeJpeg(RgbImage image, Stream destination, int quality)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        using var img = Image.LoadPixelData<Rgb24>(Configuration, image.Pixels, image.Width, image.Height);
        img.SaveAsJpeg(destination, new JpegEncoder { Quality = quality, ColorType = JpegColorType.YCbCrRatio420 });
    }

    private static FileStream OpenChecked(string path, ImageLoadOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"Image not found: '{full}'.", full);
        }

        var stream = File.OpenRead(full);
        if (stream.Length > options.MaxFileBytes)
        {
            stream.Dispose();
            throw new ImageFormatException(full, $"the file has {stream.Length} bytes, over the limit of {options.MaxFileBytes}.");
        }

        return stream;
    }

    private static IImageInfo IdentifyStream(string name, Stream stream)
    {
        IImageInfo? info;
        try
        {
            info = Image.Identify(Configuration, stream, out _);
        }
        catch (Exception e) when (e is SixLabors.ImageSharp.ImageFormatException or InvalidImageContentException or NotSupportedException)
        {
            throw new ImageFormatException(name, $"the header is corrupt ({e.Message}).", e);
        }

        return info ?? throw new ImageFormatException(name, "not a PNG, JPEG, BMP or WebP image.");
    }

    private static RgbImage Decode(string name, Stream stream, ImageLoadOptions options)
    {
        long start = stream.Position;
        var info = IdentifyStream(name, stream);
        long pixels = (long)info.Width * info.Height;
        if (pixels > options.MaxPixels)
        {
            throw new ImageFormatException(name, $"{info.Width}x{info.Height} is {pixels} pixels, over the limit of {options.MaxPixels} (ImageLoadOptions.MaxPixels).");
        }

        stream.Position = start;
        Image<Rgba32> image;
        try
        {
            image = Image.Load<Rgba32>(Configuration, stream);
        }
        catch (Exception e) when (e is SixLabors.ImageSharp.ImageFormatException or InvalidImageContentException or UnknownImageFormatException or NotSupportedException)
        {
            throw new ImageFormatException(name, $"the image data is corrupt or unsupported ({e.Message}).", e);
        }

        using (image)
        {
            if (options.ApplyExifOrientation)
            {
                image.Mutate(x => x.AutoOrient());
            }

            return FromRgba(image);
        }
    }

    private static RgbImage FromRgba(Image<Rgba32> image)
    {
        int w = image.Width, h = image.Height;
        var rgb = new byte[(long)w * h * 3];
        var alpha = new byte[(long)w * h];
        bool opaque = true;
        image.ProcessPixelRows(accessor =>
        {
            for (int y = 0; y < h; y++)
            {
                var row = accessor.GetRowSpan(y);
                long o = (long)y * w;
                for (int x = 0; x < w; x++)
                {
                    var p = row[x];
                    rgb[(o + x) * 3] = p.R;
                    rgb[((o + x) * 3) + 1] = p.G;
                    rgb[((o + x) * 3) + 2] = p.B;
                    alpha[o + x] = p.A;
                    opaque &= p.A == 255;
                }
            }
        });
        return new RgbImage(w, h, rgb, opaque ? null : alpha);
    }

    private static Image<Rgba32> ToRgba(RgbImage image)
    {
        var img = new Image<Rgba32>(Configuration, image.Width, image.Height);
        img.ProcessPixelRows(accessor =>
        {
            for (int y = 0; y < image.Height; y++)
            {
                var row = accessor.GetRowSpan(y);
                long o = (long)y * image.Width;
                for (int x = 0; x < image.Width; x++)
                {
                    long i = o + x;
                    row[x] = new Rgba32(image.Pixels[i * 3], image.Pixels[(i * 3) + 1], image.Pixels[(i * 3) + 2], image.Alpha![i]);
                }
            }
        });
        return img;
    }
}
