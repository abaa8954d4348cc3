namespace TsdSr.Inference.Hosting;

/// <summary>The outcome of one image of a file or folder upscale.</summary>
/// <param name="InputPath">The input file (or a caller-given name for streams).</param>
/// <param name="OutputPath">The PNG written, or null when nothing was written (failure, or a stream output).</param>
/// <param name="InputWidth">Input width in pixels; 0 when the input could not be read.</param>
/// <param name="InputHeight">Input height in pixels; 0 when the input could not be read.</param>
/// <param name="OutputWidth">Output width in pixels; 0 on failure.</param>
/// <param name="OutputHeight">Output height in pixels; 0 on failure.</param>
/// <param name="Elapsed">Wall time for this image: decode, upscale and encode, including any wait for other callers' images.</param>
/// <param name="Error">Why this image failed, or null on success.</param>
public sealed record UpscaleResult(
    string InputPath,
    string? OutputPath,
    int InputWidth,
    int InputHeight,
    int OutputWidth,
    int OutputHeight,
    TimeSpan Elapsed,
    Exception? Error = null)
{
    /// <summary>The input's file name.</summary>
    public string Name => Path.GetFileName(InputPath);

    /// <summary>True when the image was upscaled and written.</summary>
    public bool Succeeded => Error is null;
}
