namespace TsdSr.Data.Degradation.Kernels;

/// <summary>
/// Kernel formulas of Real-ESRGAN (BasicSR <c>degradations.py</c>). Kernels are k×k row-major arrays, normalised to sum
/// 1, on the grid x, y ∈ {−k/2 … k/2} where x is the column offset and y the row offset.
/// </summary>
public static class BlurKernels
{
    /// <summary>Σ = R(θ)·diag(σx², σy²)·R(θ)ᵀ, returned as its inverse (a, b, c) for the quadratic form a·x² + 2b·xy + c·y².</summary>
    public static (double A, double B, double C) InverseCovariance(double sigmaX, double sigmaY, double theta)
    {
        double cos = Math.Cos(theta), sin = Math.Sin(theta);
        double sx2 = sigmaX * sigmaX, sy2 = sigmaY * sigmaY;
        double s00 = (cos * cos * sx2) + (sin * sin * sy2);
        double s01 = cos * sin * (sx2 - sy2);
        double s11 = (sin * sin * sx2) + (cos * cos * sy2);
        double det = (s00 * s11) - (s01 * s01);
        return (s11 / det, -s01 / det, s00 / det);
    }

    /// <summary>Gaussian exp(−½·vᵀΣ⁻¹v).</summary>
    public static double[] Gaussian(int size, double sigmaX, double sigmaY, double theta) =>
        Quadratic(size, sigmaX, sigmaY, theta, q => Math.Exp(-0.5 * q));

    /// <summary>Generalised Gaussian exp(−½·(vᵀΣ⁻¹v)^β).</summary>
    public static double[] GeneralizedGaussian(int size, double sigmaX, double sigmaY, double theta, double beta) =>
        Quadratic(size, sigmaX, sigmaY, theta, q => Math.Exp(-0.5 * Math.Pow(q, beta)));

    /// <summary>Plateau 1 / (1 + (vᵀΣ⁻¹v)^β).</summary>
    public static double[] Plateau(int size, double sigmaX, double sigmaY, double theta, double beta) =>
        Quadratic(size, sigmaX, sigmaY, theta, q => 1.0 / (1.0 + Math.Pow(q, beta)));

    /// <summary>
    /// 2-D sinc (ideal circular low-pass): K(r) = ωc·J1(ωc·r)/(2π·r), K(0) = ωc²/(4π), normalised to sum 1.
    /// <paramref name="cutoff"/> ωc is in radians per pixel (π = Nyquist).
    /// </summary>
    public static double[] Sinc(int size, double cutoff)
    {
        CheckSize(size);
        if (!(cutoff > 0 && cutoff <= Math.PI))
        {
            throw new ArgumentOutOfRangeException(nameof(cutoff), cutoff, "The sinc cut-off must be in (0, π].");
        }

        var k = new double[size * size];
        int h = size / 2;
        var cache = new Dictionary<int, double>();
        for (int y = -h; y <= h; y++)
        {
            for (int x = -h; x <= h; x++)
            {
                int r2 = (x * x) + (y * y);
                if (!cache.TryGetValue(r2, out double v))
                {
                    double r = Math.Sqrt(r2);
                    v = r2 == 0 ? cutoff * cutoff / (4 * Math.PI) : cutoff * Bessel.J1(cutoff * r) / (2 * Math.PI * r);
                    cache[r2] = v;
                }

                k[((y + h) * size) + x + h] = v;
            }
        }

        return Normalize(k);
    }

    /// <summary>A delta of size k (identity filter).</summary>
    public static double[] Pulse(int size)
    {
        CheckSize(size);
        var k = new double[size * size];
        k[(size * size) / 2] = 1;
        return k;
    }

    /// <summary>Zero-pads a k×k kernel to <paramref name="target"/>×<paramref name="target"/> around its centre.</summary>
    public static double[] PadTo(double[] kernel, int target)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        int size = (int)Math.Round(Math.Sqrt(kernel.Length));
        if (size * size != kernel.Length || target < size || (target - size) % 2 != 0)
        {
            throw new ArgumentException($"Cannot pad a {size}x{size} kernel to {target}x{target}.", nameof(target));
        }

        int off = (target - size) / 2;
        var result = new double[target * target];
        for (int y = 0; y < size; y++)
        {
            Array.Copy(kernel, y * size, result, ((y + off) * target) + off, size);
        }

        return result;
    }

    private static double[] Quadratic(int size, double sigmaX, double sigmaY, double theta, Func<double, double> profile)
    {
        CheckSize(size);
        if (!(sigmaX > 0) || !(sigmaY > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(sigmaX), $"σ must be positive, got ({sigmaX}, {sigmaY}).");
        }

        var (a, b, c) = InverseCovariance(sigmaX, sigmaY, theta);
        var k = new double[size * size];
        int h = size / 2;
        for (int y = -h; y <= h; y++)
        {
            for (int x = -h; x <= h; x++)
            {
                double q = (a * x * x) + (2 * b * x * y) + (c * y * y);
                k[((y + h) * size) + x + h] = profile(q);
            }
        }

        return Normalize(k);
    }

    private static double[] Normalize(double[] k)
    {
        double sum = k.Sum();
        for (int i = 0; i < k.Length; i++)
        {
            k[i] /= sum;
        }

        return k;
    }

    private static void CheckSize(int size)
    {
        if (size < 1 || size % 2 == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "Kernel sizes must be odd and positive.");
        }
    }
}
