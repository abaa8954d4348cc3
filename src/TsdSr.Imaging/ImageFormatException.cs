namespace TsdSr.Imaging;

/// <summary>An image file cannot be used: unknown or unsupported format, corrupt data, or over the configured limits.</summary>
public sealed class ImageFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ImageFormatException(string path, string message, Exception? inner = null)
        : base($"Cannot read image '{path}': {message}", inner)
    {
        FilePath = path;
    }

    /// <summary>The offending file.</summary>
    public string FilePath { get; }
}
