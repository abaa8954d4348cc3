namespace TsdSr.Evaluation.NoReference;

/// <summary>The NIQE pipeline pieces (MSCN, block features, MATLAB-style halving), following pyiqa's dtypes.</summary>
internal static class NiqeFeatures
{
    /// <summary>Side of the square blocks at scale 1.</summary>
    public const int BlockSize = 96;

    /// <summary>fspecial('gaussian', 7, 7/6) built in float64 and stored as float32, as pyiqa's <c>fspecial</c>.</summary>
    private static readonly double[] Window7 = BuildWindow(7, 7.0 / 6.0);

    /// <summary>MATLAB bicubic ×0.5 with antialiasing: taps at offsets −3..+4 around 2p, in float32 (pyiqa).</summary>
    private static readonly float[] HalfTaps = BuildHalfTaps();

    /// <summary>Mean-subtracted contrast-normalised coefficients with replicate padding (pyiqa <c>normalize_img_with_guass</c>).</summary>
    public static double[] Mscn(double[] img, int w, int h)
    {
        const int r = 3, k = 7;
        int pw = w + (2 * r), ph = h + (2 * r);
        var pad = new double[pw * ph];
        for (int y = 0; y < ph; y++)
        {
            int sy = Math.Clamp(y - r, 0, h - 1);
            for (int x = 0; x < pw; x++)
            {
                pad[(y * pw) + x] = img[(sy * w) + Math.Clamp(x - r, 0, w - 1)];
            }
        }

        var outp = new double[w * h];
        var win = Window7;
        Parallel.For(0, h, y =>
        {
            var mu = new double[w];
            var s2 = new double[w];
            for (int a = 0; a < k; a++)
            {
                for (int b = 0; b < k; b++)
                {
                    var src = pad.AsSpan(((y + a) * pw) + b, w);
                    double wt = win[(a * k) + b];
                    Statistics.RowKernels.Axpy(mu, src, wt);
                    Statistics.RowKernels.AxpySquare(s2, src, wt);
                }
            }

            for (int x = 0; x < w; x++)
            {
                double m = mu[x];
                double sigma = Math.Sqrt(Math.Abs(s2[x] - (m * m)) + 2.220446049250313e-16);
                outp[(y * w) + x] = (img[(y * w) + x] - m) / (sigma + 1);
            }
        });

        return outp;
    }

    /// <summary>The 18 features of one block: AGGD of the coefficients and of four neighbour products.</summary>
    public static void BlockFeatures(double[] mscn, int w, int x0, int y0, int size, Span<double> features)
    {
        var block = new double[size * size];
        for (int y = 0; y < size; y++)
        {
            Array.Copy(mscn, ((y0 + y) * w) + x0, block, y * size, size);
        }

        var fit = AggdFit.Fit(block);
        features[0] = fit.Alpha;
        features[1] = (fit.BetaLeft + fit.BetaRight) / 2;

        // torch.roll(block, (dy, dx)) inside the block: shifted[y, x] = block[y - dy, x - dx] (circular).
        ReadOnlySpan<(int Dy, int Dx)> shifts = [(0, 1), (1, 0), (1, 1), (1, -1)];
        var prod = new double[size * size];
        for (int s = 0; s < shifts.Length; s++)
        {
            var (dy, dx) = shifts[s];
            for (int y = 0; y < size; y++)
            {
                int sy = (y - dy + size) % size;
                for (int x = 0; x < size; x++)
                {
                    int sx = (x - dx + size) % size;
                    prod[(y * size) + x] = block[(y * size) + x] * block[(sy * size) + sx];
                }
            }

            var f = AggdFit.Fit(prod);
            int o = 2 + (4 * s);
            features[o] = f.Alpha;
            features[o + 1] = (f.BetaRight - f.BetaLeft) * f.MeanFactor;
            features[o + 2] = f.BetaLeft;
            features[o + 3] = f.BetaRight;
        }
    }

    /// <summary>
    /// pyiqa <c>imresize(img / 255, 0.5) · 255</c>: the input is cast to float32, resized along height then width in
    /// float32 with symmetric edge padding, and returned as float64.
    /// </summary>
    public static double[] HalveScaled(double[] img, int w, int h, out int ow, out int oh)
    {
        oh = (h + 1) / 2;
        ow = (w + 1) / 2;
        var src = new float[w * h];
        for (int i = 0; i < src.Length; i++)
        {
            src[i] = (float)(img[i] / 255.0);
        }

        // Height pass.
        var mid = new float[w * oh];
        for (int p = 0; p < oh; p++)
        {
            for (int x = 0; x < w; x++)
            {
                float acc = 0;
                for (int t = 0; t < HalfTaps.Length; t++)
                {
                    int sy = Mirror((2 * p) - 4 + t, h);
                    acc += src[(sy * w) + x] * HalfTaps[t];
                }

                mid[(p * w) + x] = acc;
            }
        }

        // Width pass.
        var result = new double[ow * oh];
        for (int y = 0; y < oh; y++)
        {
            for (int p = 0; p < ow; p++)
            {
                float acc = 0;
                for (int t = 0; t < HalfTaps.Length; t++)
                {
                    acc += mid[(y * w) + Mirror((2 * p) - 4 + t, w)] * HalfTaps[t];
                }

                result[(y * ow) + p] = acc * 255.0;
            }
        }

        return result;
    }

    private static int Mirror(int i, int n) => i < 0 ? -i - 1 : i >= n ? (2 * n) - 1 - i : i;

    private static double[] BuildWindow(int size, double sigma)
    {
        double m = (size - 1) / 2.0;
        var h = new double[size * size];
        double sum = 0;
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                double dx = x - m, dy = y - m;
                h[(y * size) + x] = Math.Exp(-((dx * dx) + (dy * dy)) / (2.0 * sigma * sigma));
                sum += h[(y * size) + x];
            }
        }

        return h.Select(v => (double)(float)(v / sum)).ToArray();
    }

    private static float[] BuildHalfTaps()
    {
        // pyiqa resize_1d for scale 0.5: kernel size ceil(4 / 0.5) + 2 = 10, distance from the first tap 4.5,
        // positions scaled by the antialiasing factor 0.5, cubic a = −0.5, normalised to sum 1 (all in float32).
        var w = new float[10];
        float sum = 0;
        for (int t = 0; t < w.Length; t++)
        {
            float ax = MathF.Abs((4.5f - t) * 0.5f);
            float ax2 = ax * ax, ax3 = ax * ax2;
            float c01 = ax <= 1 ? (1.5f * ax3) - (2.5f * ax2) + 1 : 0;
            float c12 = ax > 1 && ax <= 2 ? (-0.5f * ax3) - (5 * -0.5f * ax2) + (8 * -0.5f * ax) - (4 * -0.5f) : 0;
            w[t] = c01 + c12;
            sum += w[t];
        }

        for (int t = 0; t < w.Length; t++)
        {
            w[t] /= sum;
        }

        return w;
    }
}
