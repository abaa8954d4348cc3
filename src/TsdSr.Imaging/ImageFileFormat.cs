namespace TsdSr.Imaging;

/// <summary>The file formats <see cref="ImageCodec.Save"/> writes, chosen by the path's extension.</summary>
public enum ImageFileFormat
{
    /// <summary><c>.png</c>: lossless, RGB or RGBA.</summary>
    Png,

    /// <summary><c>.jpg</c>, <c>.jpeg</c>: lossy (see <see cref="ImageSaveOptions.JpegQuality"/>), no alpha.</summary>
    Jpeg,

    /// <summary><c>.bmp</c>: uncompressed, 24-bit or 32-bit with alpha.</summary>
    Bmp,

    /// <summary><c>.webp</c>: lossless, RGB or RGBA.</summary>
    Webp,
}
