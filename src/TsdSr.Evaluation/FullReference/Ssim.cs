using TsdSr.Evaluation.Color;
using TsdSr.Evaluation.Metrics;
using TsdSr.Evaluation.Statistics;
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
public sealed class Ssim : PixelMetric
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
        : base(colorSpace, cropBorder, name)
    {
    }

    /// <inheritdoc />
    protected override double Score(RgbImage a, RgbImage b)
    {
        if (a.Width < Window || a.Height < Window)
        {
            throw new ArgumentException($"SSIM needs at least {Window}x{Window} pixels after cropping; got {a.Width}x{a.Height}.", nameof(a));
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
        // Like pyiqa: filter X, Y, X², Y², XY, then combine.
        var xx = new double[x.Length];
        var yy = new double[x.Length];
        var xy = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            xx[i] = x[i] * x[i];
            yy[i] = y[i] * y[i];
            xy[i] = x[i] * y[i];
        }

        var mx = RowKernels.SeparableValid(x, w, h, Gauss);
        var my = RowKernels.SeparableValid(y, w, h, Gauss);
        var mxx = RowKernels.SeparableValid(xx, w, h, Gauss);
        var myy = RowKernels.SeparableValid(yy, w, h, Gauss);
        var mxy = RowKernels.SeparableValid(xy, w, h, Gauss);
        double total = 0;
        for (int i = 0; i < mx.Length; i++)
        {
            double mu1 = mx[i], mu2 = my[i];
            double mu1Sq = mu1 * mu1, mu2Sq = mu2 * mu2, mu12 = mu1 * mu2;
            double s1 = mxx[i] - mu1Sq, s2 = myy[i] - mu2Sq, s12 = mxy[i] - mu12;
            double cs = Math.Max(0.0, ((2 * s12) + C2) / (s1 + s2 + C2));
            total += (((2 * mu12) + C1) / (mu1Sq + mu2Sq + C1)) * cs;
        }

        return total / mx.Length;
    }
}
