using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using TsdSr.Core.Files;
using TsdSr.Imaging.Integrity;

namespace TsdSr.Imaging;

/// <summary>
/// Decodes and encodes images with ImageSharp, restricted to PNG, JPEG, BMP and WebP. Only regular files with content
/// are opened; dimensions are read from the header and checked against <see cref="ImageLoadOptions"/> before any pixel
/// buffer is allocated; truncated files and partial decodes are refused by name. Writes go to a temporary file first
/// and never replace an existing file unless asked.
/// </summary>
public static class ImageCodec
{
    /// <summary>The ImageSharp configuration with only the accepted formats.</summary>
    internal static Configuration Configuration { get; } = new(
        new PngConfigurationModule(), new JpegConfigurationModule(), new BmpConfigurationModule(), new WebpConfigurationModule());

    /// <summary>File extensions of the accepted formats.</summary>
    public static IReadOnlyList<string> SupportedExtensions { get; } = [".png", ".jpg", ".jpeg", ".bmp", ".webp"];

    /// <summary>
    /// The format <see cref="Save"/> writes for <paramref name="path"/>'s extension (case-insensitive), or null when the
    /// extension names no writable format.
    /// </summary>
    public static ImageFileFormat? FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".png" => ImageFileFormat.Png,
        ".jpg" or ".jpeg" => ImageFileFormat.Jpeg,
        ".bmp" => ImageFileFormat.Bmp,
        ".webp" => ImageFileFormat.Webp,
        _ => null,
    };

    /// <summary>Why an image with or without alpha cannot be saved to <paramref name="path"/>, or null when it can.</summary>
    /// <param name="path">The output path; its extension chooses the format.</param>
    /// <param name="hasAlpha">Whether the image has a non-opaque alpha plane.</param>
    public static string? SaveProblem(string path, bool hasAlpha)
    {
        var format = FormatOf(path);
        if (format is null)
        {
            var ext = Path.GetExtension(path);
            return $"'{(ext.Length == 0 ? "(no extension)" : ext)}' names no image format this writes; use .png, .jpg, .jpeg, .bmp or .webp.";
        }

        return format == ImageFileFormat.Jpeg && hasAlpha
            ? "JPEG cannot store the image's transparency; write .png or .webp instead."
            : null;
    }

    /// <summary>Reads width and height from the header without decoding.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ImageFormatException">Not a PNG, JPEG, BMP or WebP image.</exception>
    public static (int Width, int Height) Identify(string path)
    {
        using var stream = OpenChecked(path, ImageLoadOptions.Default);
        var info = IdentifyStream(Path.GetFullPath(path), stream);
        return (info.Width, info.Height);
    }

    /// <summary>
    /// Reads width and height from the header without decoding, and applies the file-size and pixel limits of
    /// <paramref name="options"/>: what <see cref="Load(string, ImageLoadOptions?)"/> would refuse before decoding is
    /// refused here too, so a batch can be checked before any work starts.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ImageFormatException">Not a PNG, JPEG, BMP or WebP image, not a regular file, or over a limit.</exception>
    public static (int Width, int Height) Identify(string path, ImageLoadOptions? options)
    {
        options ??= ImageLoadOptions.Default;
        using var stream = OpenChecked(path, options);
        var info = IdentifyStream(Path.GetFullPath(path), stream);
        CheckPixels(Path.GetFullPath(path), info, options);
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

    /// <summary>
    /// Writes an image in the format its extension names (<see cref="FormatOf"/>). The file is written under a tracked
    /// temporary name first (<see cref="TemporaryFiles"/>) and renamed into place, so a reader never sees half a file and
    /// no temporary is left behind, even when the process is ended during the write.
    /// </summary>
    /// <exception cref="ArgumentException">The extension names no writable format, or JPEG was asked for an image with alpha.</exception>
    /// <exception cref="IOException">The file exists and <see cref="ImageSaveOptions.Overwrite"/> is false.</exception>
    public static void Save(RgbImage image, string path, ImageSaveOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= ImageSaveOptions.Default;
        if (SaveProblem(path, image.Alpha is not null) is { } problem)
        {
            throw new ArgumentException($"Cannot write '{Path.GetFullPath(path)}': {problem}", nameof(path));
        }

        var format = FormatOf(path)!.Value;
        WriteAtomically(path, options.Overwrite, stream => Encode(image, stream, format, options.JpegQuality));
    }

    /// <summary>Writes an image as PNG (RGBA when it has alpha), whatever the extension, replacing an existing file. Written under a temporary name first.</summary>
    public static void SavePng(RgbImage image, string path)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentException.ThrowIfNullOrEmpty(path);
        WriteAtomically(path, overwrite: true, stream => EncodePng(image, stream));
    }

    /// <summary>Encodes an image in <paramref name="format"/> into a stream (JPEG at <paramref name="jpegQuality"/>; JPEG drops alpha).</summary>
    public static void Encode(RgbImage image, Stream destination, ImageFileFormat format, int jpegQuality = 95)
    {
        ArgumentNullException.ThrowIfNull(image);
        switch (format)
        {
            case ImageFileFormat.Png:
                EncodePng(image, destination);
                break;
            case ImageFileFormat.Jpeg:
                EncodeJpeg(image, destination, jpegQuality);
                break;
            case ImageFileFormat.Bmp:
                EncodeWith(image, destination, new BmpEncoder { BitsPerPixel = image.Alpha is null ? BmpBitsPerPixel.Pixel24 : BmpBitsPerPixel.Pixel32, SupportTransparency = image.Alpha is not null });
                break;
            case ImageFileFormat.Webp:
                EncodeWith(image, destination, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown image format.");
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

    private static void WriteAtomically(string path, bool overwrite, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        if (!overwrite && File.Exists(full))
        {
            throw new IOException($"'{full}' already exists; it is not replaced unless overwriting is allowed.");
        }

        using var temp = TemporaryFiles.Create(full);
        using (var fs = new FileStream(temp.Path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        {
            write(fs);
        }

        // Without overwrite the rename itself refuses a file that appeared meanwhile (another process).
        temp.Commit(full, overwrite);
    }

    private static void EncodeWith(RgbImage image, Stream destination, IImageEncoder encoder)
    {
        if (image.Alpha is null)
        {
            using var img = Image.LoadPixelData<Rgb24>(Configuration, image.Pixels, image.Width, image.Height);
            img.Save(destination, encoder);
        }
        else
        {
            using var img = ToRgba(image);
            img.Save(destination, encoder);
        }
    }

    private static FileStream OpenChecked(string path, ImageLoadOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"Image not found: '{full}'.", full);
        }

        if (RegularFile.Problem(full) is { } problem)
        {
            throw new ImageFormatException(full, problem);
        }

        var stream = File.OpenRead(full);
        long length = stream.Length;
        if (length > options.MaxFileBytes)
        {
            stream.Dispose();
            throw new ImageFormatException(full, $"the file has {length} bytes, over the limit of {options.MaxFileBytes} ({options.MaxFileBytesSetting}).");
        }

        return stream;
    }

    private static IImageInfo IdentifyStream(string name, Stream stream) => IdentifyStream(name, stream, out _);

    private static IImageInfo IdentifyStream(string name, Stream stream, out IImageFormat? format)
    {
        if (stream.CanSeek && stream.Length - stream.Position == 0)
        {
            throw new ImageFormatException(name, "the file is empty (0 bytes).");
        }

        IImageInfo? info;
        try
        {
            info = Image.Identify(Configuration, stream, out format);
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
        var info = IdentifyStream(name, stream, out var format);
        CheckPixels(name, info, options);

        stream.Position = start;
        if (format is not null && ContainerIntegrity.FindTruncation(stream, format.Name) is { } truncated)
        {
            throw new ImageFormatException(name, truncated);
        }

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

            var decoded = FromRgba(image);
            // JPEG has no alpha channel: a pixel the decoder left transparent is one it never reached.
            if (decoded.Alpha is not null && string.Equals(format?.Name, "JPEG", StringComparison.OrdinalIgnoreCase))
            {
                throw new ImageFormatException(name, "the decoder filled only part of the image (the JPEG data is incomplete).");
            }

            return decoded;
        }
    }

    private static void CheckPixels(string name, IImageInfo info, ImageLoadOptions options)
    {
        long pixels = (long)info.Width * info.Height;
        if (pixels > options.MaxPixels)
        {
            throw new ImageFormatException(name, $"{info.Width}x{info.Height} is {pixels} pixels, over the limit of {options.MaxPixels} ({options.MaxPixelsSetting}).");
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
