using TsdSr.Imaging;

namespace TsdSr.Evaluation.Fid;

/// <summary>
/// clean-fid / pyiqa FID preprocessing: each RGB channel as a float32 PIL 'F' image resized with Pillow's BICUBIC
/// (a = −0.5, support 2 stretched by the shrink factor, double coefficients normalised per output pixel, horizontal
/// pass then vertical, float32 intermediate), clipped to [0,255], then <c>(x − 128) / 128</c>.
/// </summary>
internal static class CleanResize
{
    /// <summary>CHW float32 values for the network, [3·size·size].</summary>
    public static float[] Prepare(RgbImage image, int size = 299)
    {
        int w = image.Width, h = image.Height;
        var result = new float[3 * size * size];
        var plane = new float[w * h];
        for (int c = 0; c < 3; c++)
        {
            for (int i = 0; i < plane.Length; i++)
            {
                plane[i] = image.Pixels[(3 * i) + c];
            }

            var resized = Resize(plane, w, h, size, size);
            for (int i = 0; i < resized.Length; i++)
            {
                result[(c * size * size) + i] = (Math.Clamp(resized[i], 0f, 255f) - 128f) / 128f;
            }
        }

        return result;
    }

    /// <summary>Pillow <c>Image.resize((outW, outH), BICUBIC)</c> of a float32 'F' image.</summary>
    public static float[] Resize(float[] src, int w, int h, int outW, int outH)
    {
        var tmp = src;
        int tw = w;
        if (outW != w)
        {
            var (bounds, k, ksize) = Coefficients(w, outW);
            tmp = new float[outW * h];
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < outW; x++)
                {
                    double ss = 0;
                    int xmin = bounds[2 * x], n = bounds[(2 * x) + 1];
                    for (int t = 0; t < n; t++)
                    {
                        ss += src[(y * w) + xmin + t] * k[(x * ksize) + t];
                    }

                    tmp[(y * outW) + x] = (float)ss;
                }
            }

            tw = outW;
        }

        if (outH == h)
        {
            return tmp;
        }

        var (vb, vk, vks) = Coefficients(h, outH);
        var dst = new float[tw * outH];
        for (int y = 0; y < outH; y++)
        {
            int ymin = vb[2 * y], n = vb[(2 * y) + 1];
            for (int x = 0; x < tw; x++)
            {
                double ss = 0;
                for (int t = 0; t < n; t++)
                {
                    ss += tmp[((ymin + t) * tw) + x] * vk[(y * vks) + t];
                }

                dst[(y * tw) + x] = (float)ss;
            }
        }

        return dst;
    }

    private static double Bicubic(double x)
    {
        const double a = -0.5;
        x = Math.Abs(x);
        if (x < 1.0)
        {
            return ((((a + 2.0) * x) - (a + 3.0)) * x * x) + 1;
        }

        return x < 2.0 ? ((((x - 5) * x) + 8) * x - 4) * a : 0.0;
    }

    /// <summary>Pillow's <c>precompute_coeffs</c> for the bicubic filter (support 2).</summary>
    private static (int[] Bounds, double[] Kernel, int KSize) Coefficients(int inSize, int outSize)
    {
        double scale = (double)inSize / outSize;
        double filterscale = Math.Max(scale, 1.0);
        double support = 2.0 * filterscale;
        int ksize = ((int)Math.Ceiling(support) * 2) + 1;
        var bounds = new int[2 * outSize];
        var kk = new double[outSize * ksize];
        for (int xx = 0; xx < outSize; xx++)
        {
            double center = (xx + 0.5) * scale;
            double ss = 1.0 / filterscale;
            int xmin = Math.Max((int)(center - support + 0.5), 0);
            int xmax = Math.Min((int)(center + support + 0.5), inSize) - xmin;
            double ww = 0;
            for (int x = 0; x < xmax; x++)
            {
                double wgt = Bicubic((x + xmin - center + 0.5) * ss);
                kk[(xx * ksize) + x] = wgt;
                ww += wgt;
            }

            for (int x = 0; x < xmax; x++)
            {
                if (ww != 0.0)
                {
                    kk[(xx * ksize) + x] /= ww;
                }
            }

            bounds[2 * xx] = xmin;
            bounds[(2 * xx) + 1] = xmax;
        }

        return (bounds, kk, ksize);
    }
}
