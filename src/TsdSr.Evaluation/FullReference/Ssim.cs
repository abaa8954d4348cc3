using TsdSr.Evaluation.Color;
using TsdSr.Evaluation.Metrics;
using TsdSr.Imaging;

namespace TsdSr.Evaluation.FullReference;

/// <summary>
/// SSIM exactly as pyiqa's <c>ssim</c> (MATLAB-compatible): rounded 0..255 planes in float64, 11×11 Gaussian
/// (σ 1.5) 'valid' filtering, C1 = (0.01·255)², C2 = (0.03·255)², the contrast-structure term clamped at 0,
/// no downsampling; mean over the map (and channels for RGB).
/// </summary>
/// <remarks>
/// The Gaussian is applied as two 1-D passes: it is the same window (the 2-D MATLAB window is the outer product
/// of the normalised 1-D one) at a fifth of the cost; results differ from the 2-D sum only by float64 rounding.
/// </remarks>
public sealed class Ssim : IFullReferenceMetric
{
    private const int Window = 11;
    private const double C1 = 0.01 * 255 * (0.01 * 255);
    private const double C2 = 0.03 * 255 * (0.03 * 255);
    private static readonly double[] Gauss = Gaussian1D(Window, 1.5);

    /// <summary>Creates the metric.</summary>
    /// <param name="colorSpace">Channel(s) to compare; YCbCr Y is the SR papers' setting.</param>
    /// <param name="cropBorder">Pixels removed from each side before comparing (0 in the papers).</param>
    /// <param name="name">Registry name to report under.</param>
    public Ssim(ColorSpace colorSpace = ColorSpace.YCbCr, int cropBorder = 0, string name = "ssim")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cropBorder);
        ColorSpace = colorSpace;
        CropBorder = cropBorder;
        Name = name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public bool LowerIsBetter => false;

    /// <inheritdoc />
    public MetricKind Kind => MetricKind.FullReference;

    /// <summary>Channel(s) compared.</summary>
    public ColorSpace ColorSpace { get; }

    /// <summary>Pixels removed from each side.</summary>
    public int CropBorder { get; }

    /// <inheritdoc />
    public double Compute(RgbImage image, RgbImage reference)
    {
        ImageCrop.RequireSameSize(image, reference);
        var a = ImageCrop.Crop(image, CropBorder);
        var b = ImageCrop.Crop(reference, CropBorder);
        if (a.Width < Window || a.Height < Window)
        {
            throw new ArgumentException($"SSIM needs at least {Window}x{Window} pixels after cropping; got {a.Width}x{a.Height}.", nameof(image));
        }

        var pa = PyiqaColor.Rounded255(a, ColorSpace);
        var pb = PyiqaColor.Rounded255(b, ColorSpace);
        double total = 0;
        for (int c = 0; c < pa.Length; c++)
        {
            total += PlaneMean(pa[c], pb[c], a.Width, a.Height);
        }

        return total / pa.Length;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    /// <summary>MATLAB <c>fspecial('gaussian')</c> factor: normalised 1-D Gaussian.</summary>
    internal static double[] Gaussian1D(int size, double sigma)
    {
        var g = new double[size];
        double m = (size - 1) / 2.0, s = 0;
        for (int i = 0; i < size; i++)
        {
            double x = i - m;
            g[i] = Math.Exp(-(x * x) / (2.0 * sigma * sigma));
            s += g[i];
        }

        for (int i = 0; i < size; i++)
        {
            g[i] /= s;
        }

        return g;
    }

    private static double PlaneMean(double[] x, double[] y, int w, int h)
    {
        int ow = w - Window + 1, oh = h - Window + 1;
        var g = Gauss;

        // Horizontal pass of the five moments.
        var hx = new double[h * ow];
        var hy = new double[h * ow];
        var hxx = new double[h * ow];
        var hyy = new double[h * ow];
        var hxy = new double[h * ow];
        for (int r = 0; r < h; r++)
        {
            int src = r * w, dst = r * ow;
            for (int c = 0; c < ow; c++)
            {
                double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
                for (int k = 0; k < Window; k++)
                {
                    double v = g[k], p = x[src + c + k], q = y[src + c + k];
                    sx += v * p;
                    sy += v * q;
                    sxx += v * p * p;
                    syy += v * q * q;
                    sxy += v * p * q;
                }

                hx[dst + c] = sx;
                hy[dst + c] = sy;
                hxx[dst + c] = sxx;
                hyy[dst + c] = syy;
                hxy[dst + c] = sxy;
            }
        }

        // Vertical pass row by row, then the SSIM map.
        var mx = new double[ow];
        var my = new double[ow];
        var mxx = new double[ow];
        var myy = new double[ow];
        var mxy = new double[ow];
        double total = 0;
        for (int r = 0; r < oh; r++)
        {
            Array.Clear(mx);
            Array.Clear(my);
            Array.Clear(mxx);
            Array.Clear(myy);
            Array.Clear(mxy);
            for (int k = 0; k < Window; k++)
            {
                double v = g[k];
                int o = (r + k) * ow;
                for (int c = 0; c < ow; c++)
                {
                    mx[c] += v * hx[o + c];
                    my[c] += v * hy[o + c];
                    mxx[c] += v * hxx[o + c];
                    myy[c] += v * hyy[o + c];
                    mxy[c] += v * hxy[o + c];
                }
            }

            for (int c = 0; c < ow; c++)
            {
                double mu1 = mx[c], mu2 = my[c];
                double mu1Sq = mu1 * mu1, mu2Sq = mu2 * mu2, mu12 = mu1 * mu2;
                double s1 = mxx[c] - mu1Sq, s2 = myy[c] - mu2Sq, s12 = mxy[c] - mu12;
                double cs = Math.Max(0.0, ((2 * s12) + C2) / (s1 + s2 + C2));
                total += (((2 * mu12) + C1) / (mu1Sq + mu2Sq + C1)) * cs;
            }
        }

        return total / ((double)ow * oh);
    }
}
