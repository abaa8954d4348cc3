namespace TsdSr.Inference.Preprocessing;

/// <summary>
/// The reference's size rule for one input: the model works at <see cref="ProcessWidth"/> × <see cref="ProcessHeight"/>
/// (4× the input, enlarged to a minimum size and floored to a multiple of 8) and the result is resized back to
/// <see cref="OutputWidth"/> × <see cref="OutputHeight"/> (exactly 4× the input) when <see cref="ResizeBack"/> is set.
/// </summary>
/// <param name="InputWidth">Input width.</param>
/// <param name="InputHeight">Input height.</param>
/// <param name="ProcessWidth">Width the VAE and transformer see.</param>
/// <param name="ProcessHeight">Height the VAE and transformer see.</param>
/// <param name="OutputWidth">Final width (scale × input).</param>
/// <param name="OutputHeight">Final height (scale × input).</param>
/// <param name="ResizeBack">Whether the model output must be resized to the output size.</param>
public sealed record SizePlan(int InputWidth, int InputHeight, int ProcessWidth, int ProcessHeight, int OutputWidth, int OutputHeight, bool ResizeBack)
{
    /// <summary>
    /// Applies the rule: inputs with a side below <paramref name="processSize"/> / <paramref name="scale"/> are first
    /// enlarged so the short side reaches it (Python <c>int()</c> truncation), then multiplied by the scale; if a side is
    /// not a multiple of <paramref name="multiple"/> (the VAE's down-sampling factor: 8 for SD3, the reference's
    /// value), both are floored to one.
    /// </summary>
    public static SizePlan Create(int width, int height, int scale = 4, int processSize = 512, int multiple = 8)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        ArgumentOutOfRangeException.ThrowIfNegative(processSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(multiple);
        int minimum = processSize / scale;
        int w = width, h = height;
        bool resize = false;
        if (width < minimum || height < minimum)
        {
            double s = (double)minimum / Math.Min(width, height);
            w = (int)(s * width);
            h = (int)(s * height);
            resize = true;
        }

        w = checked(w * scale);
        h = checked(h * scale);
        if (w % multiple != 0 || h % multiple != 0)
        {
            w -= w % multiple;
            h -= h % multiple;
            resize = true;
        }

        if (w < multiple || h < multiple)
        {
            throw new ArgumentException($"A {width}x{height} input is too small to process at scale {scale}.");
        }

        return new SizePlan(width, height, w, h, checked(width * scale), checked(height * scale), resize);
    }
}
