using TsdSr.Evaluation.Color;
using TsdSr.Evaluation.Metrics;
using TsdSr.Evaluation.Statistics;
using TsdSr.Imaging;

namespace TsdSr.Evaluation.NoReference;

/// <summary>
/// NIQE exactly as pyiqa's <c>niqe</c> with defaults: rounded Y of YIQ in float64, crop to multiples of 96,
/// two scales of MSCN (7×7 Gaussian, replicate padding) and AGGD block features on 96/48-pixel blocks, a
/// MATLAB-style antialiased bicubic halving in float32 between the scales, and the Mahalanobis-like distance to
/// the pristine model through a pseudo-inverse. Lower is better.
/// </summary>
public sealed class Niqe : INoReferenceMetric
{
    private readonly double[] pristineMean;
    private readonly double[,] pristineCov;

    /// <summary>Creates the metric.</summary>
    /// <param name="model">Pristine model; <see cref="NiqeModel.Default"/> (pyiqa's) when null.</param>
    /// <param name="colorSpace">Luma used; pyiqa's default is YIQ (the papers' setting).</param>
    /// <param name="cropBorder">Pixels removed from each side first (0 in the papers).</param>
    /// <param name="name">Registry name to report under.</param>
    public Niqe(NiqeModel? model = null, ColorSpace colorSpace = ColorSpace.Yiq, int cropBorder = 0, string name = "niqe")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cropBorder);
        if (colorSpace == ColorSpace.Rgb)
        {
            throw new ArgumentException("NIQE works on one luma channel; use Yiq or YCbCr.", nameof(colorSpace));
        }

        model ??= NiqeModel.Default;

        // pyiqa converts the pristine parameters to the input's dtype (float32) before use.
        pristineMean = model.Mean.Select(v => (double)(float)v).ToArray();
        var cov = model.CovarianceInternal;
        pristineCov = new double[NiqeModel.FeatureCount, NiqeModel.FeatureCount];
        for (int i = 0; i < NiqeModel.FeatureCount; i++)
        {
            for (int j = 0; j < NiqeModel.FeatureCount; j++)
            {
                pristineCov[i, j] = (float)cov[i, j];
            }
        }

        ColorSpace = colorSpace;
        CropBorder = cropBorder;
        Name = name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public bool LowerIsBetter => true;

    /// <inheritdoc />
    public MetricKind Kind => MetricKind.NoReference;

    /// <summary>Luma used.</summary>
    public ColorSpace ColorSpace { get; }

    /// <summary>Pixels removed from each side.</summary>
    public int CropBorder { get; }

    /// <inheritdoc />
    /// <remarks>NaN where pyiqa has no value either; <see cref="Score"/> says why.</remarks>
    public double Compute(RgbImage image) => Score(image).Value;

    /// <summary>
    /// NIQE of <paramref name="image"/>, with the reason when it is NaN: when no 96×96 block has all 36 features
    /// finite, the image covariance (over such blocks only, as pyiqa's <c>nancov</c>) has no sample.
    /// </summary>
    /// <exception cref="ArgumentException">The image (after the border crop) is smaller than one 96×96 block.</exception>
    public MetricScore Score(RgbImage image) => ScoreFeatures(BlockFeatures(image));

    /// <summary>The 36 features of every block, row-major over the blocks (pyiqa's block order).</summary>
    internal double[,] BlockFeatures(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var img = ImageCrop.Crop(image, CropBorder);
        const int bs = NiqeFeatures.BlockSize;
        int bh = img.Height / bs, bw = img.Width / bs;
        if (bh == 0 || bw == 0)
        {
            throw new ArgumentException($"NIQE needs at least {bs}x{bs} pixels (after cropping); got {img.Width}x{img.Height}.", nameof(image));
        }

        var y = PyiqaColor.Rounded255(img, ColorSpace)[0];
        int w = bw * bs, h = bh * bs;
        var plane = new double[w * h];
        for (int r = 0; r < h; r++)
        {
            Array.Copy(y, r * img.Width, plane, r * w, w);
        }

        int blocks = bh * bw;
        var feats = new double[blocks, NiqeModel.FeatureCount];
        for (int scale = 1; scale <= 2; scale++)
        {
            var mscn = NiqeFeatures.Mscn(plane, w, h);
            int size = bs / scale;
            int offset = (scale - 1) * 18, width = w;
            Parallel.For(0, blocks, b =>
            {
                Span<double> buf = stackalloc double[18];
                NiqeFeatures.BlockFeatures(mscn, width, (b % bw) * size, (b / bw) * size, size, buf);
                for (int f = 0; f < 18; f++)
                {
                    feats[b, offset + f] = buf[f];
                }
            });

            if (scale == 1)
            {
                plane = NiqeFeatures.HalveScaled(plane, w, h, out w, out h);
            }
        }

        return feats;
    }

    /// <summary>
    /// pyiqa's model fit and distance: nan-mean per feature over all blocks, covariance over the blocks without NaN,
    /// pseudo-inverse of the averaged covariances.
    /// </summary>
    internal MetricScore ScoreFeatures(double[,] feats)
    {
        const int n = NiqeModel.FeatureCount;
        int rows = feats.GetLength(0);

        // nanmean per feature: a block whose fit left only some features NaN (a flat area) still counts in the others.
        var mean = new double[n];
        for (int f = 0; f < n; f++)
        {
            double s = 0;
            int c = 0;
            for (int r = 0; r < rows; r++)
            {
                if (!double.IsNaN(feats[r, f]))
                {
                    s += feats[r, f];
                    c++;
                }
            }

            mean[f] = s / c;
        }

        var clean = Enumerable.Range(0, rows).Where(r => Enumerable.Range(0, n).All(f => !double.IsNaN(feats[r, f]))).ToArray();
        if (clean.Length == 0)
        {
            return new MetricScore(
                double.NaN,
                $"is undefined (NaN): none of the {rows} 96x96 block(s) has all 36 NIQE features finite (a flat area leaves " +
                "the AGGD fit no value on one side), so the image covariance has no sample; pyiqa has no value either.");
        }

        var cmean = new double[n];
        foreach (var r in clean)
        {
            for (int f = 0; f < n; f++)
            {
                cmean[f] += feats[r, f];
            }
        }

        for (int f = 0; f < n; f++)
        {
            cmean[f] /= clean.Length;
        }

        // N − 1 normalisation, except for a single block: pyiqa's cov() drops the correction there (torch.cov with
        // correction 0), so one block has a zero covariance and the score uses the pristine covariance alone.
        double factor = clean.Length == 1 ? 1.0 : 1.0 / (clean.Length - 1);
        var avg = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
            {
                double s = 0;
                foreach (var r in clean)
                {
                    s += (feats[r, i] - cmean[i]) * (feats[r, j] - cmean[j]);
                }

                double cov = factor * s;
                avg[i, j] = (pristineCov[i, j] + cov) / 2;
                avg[j, i] = (pristineCov[j, i] + cov) / 2;
            }
        }

        var inv = SymmetricEigen.PseudoInverse(avg);
        var diff = new double[n];
        for (int f = 0; f < n; f++)
        {
            diff[f] = pristineMean[f] - mean[f];
        }

        double q = 0;
        for (int j = 0; j < n; j++)
        {
            double t = 0;
            for (int i = 0; i < n; i++)
            {
                t += diff[i] * inv[i, j];
            }

            q += t * diff[j];
        }

        return new MetricScore(Math.Sqrt(q));
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
