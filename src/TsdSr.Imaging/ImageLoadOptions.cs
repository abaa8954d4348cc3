namespace TsdSr.Imaging;

/// <summary>Limits and behaviour of <see cref="ImageCodec"/> decoding.</summary>
public sealed class ImageLoadOptions
{
    /// <summary>Largest accepted width × height, checked from the header before decoding. Default 64 megapixels.</summary>
    public long MaxPixels { get; init; } = 64L * 1024 * 1024;

    /// <summary>Largest accepted file size in bytes. Default 512 MB.</summary>
    public long MaxFileBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>How <see cref="MaxPixels"/> is set, named in refusals so users know what to change. Default "ImageLoadOptions.MaxPixels".</summary>
    public string MaxPixelsSetting { get; init; } = "ImageLoadOptions.MaxPixels";

    /// <summary>How <see cref="MaxFileBytes"/> is set, named in refusals. Default "ImageLoadOptions.MaxFileBytes".</summary>
    public string MaxFileBytesSetting { get; init; } = "ImageLoadOptions.MaxFileBytes";

    /// <summary>Apply the EXIF orientation so that pixels are upright. Default true.</summary>
    public bool ApplyExifOrientation { get; init; } = true;

    /// <summary>Shared default instance.</summary>
    public static ImageLoadOptions Default { get; } = new();
}
