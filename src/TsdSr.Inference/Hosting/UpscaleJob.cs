namespace TsdSr.Inference.Hosting;

/// <summary>One image of an <see cref="UpscaleBatch"/>: where it is read and written, and why it is refused, if it is.</summary>
/// <param name="InputPath">The input file (full path).</param>
/// <param name="OutputPath">The output file (full path); its extension chooses the format.</param>
/// <param name="Width">Input width from the header; 0 when the header could not be read.</param>
/// <param name="Height">Input height from the header; 0 when the header could not be read.</param>
/// <param name="Refusal">Why the image will not be upscaled (an unreadable header, a size over a limit, an output conflict), or null.</param>
/// <param name="OutputRefused">True when <paramref name="Refusal"/> is about the output path (a usage error), false when about the input.</param>
public sealed record UpscaleJob(string InputPath, string OutputPath, int Width, int Height, Exception? Refusal = null, bool OutputRefused = false)
{
    /// <summary>The input's file name.</summary>
    public string Name => Path.GetFileName(InputPath);

    /// <summary>True when the image will be upscaled.</summary>
    public bool IsRunnable => Refusal is null;
}
