namespace TsdSr.Inference;

/// <summary>
/// An image would make the upscaler work at a size over its limits (<see cref="UpscaleSettings.MaxProcessPixels"/>,
/// <see cref="UpscaleSettings.MaxAspectRatio"/>). Decided from the size rule alone, before any pixel is decoded.
/// </summary>
public sealed class ImageTooLargeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ImageTooLargeException(string message)
        : base(message)
    {
    }
}
