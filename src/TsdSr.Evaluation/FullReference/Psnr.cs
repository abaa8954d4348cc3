using TsdSr.Evaluation.Color;
using TsdSr.Evaluation.Metrics;
using TsdSr.Imaging;

namespace TsdSr.Evaluation.FullReference;

/// <summary>
/// PSNR exactly as pyiqa's <c>psnr</c> (data range 1, eps 1e-8, float32): on the unrounded float32 Y of YCbCr
/// (the papers' <c>test_y_channel=True, color_space='ycbcr'</c>), of YIQ, or on RGB.
/// </summary>
public sealed class Psnr : PixelMetric
{
    /// <summary>Creates the metric.</summary>
    /// <param name="colorSpace">Channel(s) to compare; YCbCr Y is the SR papers' setting.</param>
    /// <param name="cropBorder">Pixels removed from each side before comparing (0 in the papers).</param>
    /// <param name="name">Registry name to report under.</param>
    public Psnr(ColorSpace colorSpace = ColorSpace.YCbCr, int cropBorder = 0, string name = "psnr")
        : base(colorSpace, cropBorder, name)
    {
    }

    /// <inheritdoc />
    protected override double Score(RgbImage a, RgbImage b)
    {
        double sum = 0;
        long count;
        if (ColorSpace == ColorSpace.Rgb)
        {
            var pa = a.Pixels;
            var pb = b.Pixels;
            for (int i = 0; i < pa.Length; i++)
            {
                float d = PyiqaColor.ToUnit(pa[i]) - PyiqaColor.ToUnit(pb[i]);
                sum += d * d;
            }

            count = pa.Length;
        }
        else
        {
            var ya = PyiqaColor.Luma(a, ColorSpace);
            var yb = PyiqaColor.Luma(b, ColorSpace);
            for (int i = 0; i < ya.Length; i++)
            {
                float d = ya[i] - yb[i];
                sum += d * d;
            }

            count = ya.Length;
        }

        // pyiqa keeps the mean and the log in float32.
        float mse = (float)(sum / count);
        return 10f * MathF.Log10(1f / (mse + 1e-8f));
    }
}
