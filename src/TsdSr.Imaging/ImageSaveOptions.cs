namespace TsdSr.Imaging;

/// <summary>How <see cref="ImageCodec.Save"/> writes a file.</summary>
public sealed class ImageSaveOptions
{
    /// <summary>JPEG quality, 1–100, for <c>.jpg</c>/<c>.jpeg</c> paths. Default 95.</summary>
    public int JpegQuality { get; init; } = 95;

    /// <summary>Replace an existing file. Default false: an existing file is never replaced silently.</summary>
    public bool Overwrite { get; init; }

    /// <summary>Shared default instance.</summary>
    public static ImageSaveOptions Default { get; } = new();
}
