namespace TsdSr.Data.Random;

/// <summary>
/// Fills large arrays with Gaussian or Poisson draws from a <see cref="CounterRng"/> key. Element i depends only on
/// (key, i), so the arrays are filled in parallel and still come out identical on every run.
/// </summary>
public static class NoiseFields
{
    private const int Chunk = 16384;

    /// <summary>Standard normal draws (Box–Muller on two 53-bit uniforms per pair of elements).</summary>
    public static void FillStandardNormal(ulong key, float[] destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        int pairs = (destination.Length + 1) / 2;
        int chunks = (pairs + Chunk - 1) / Chunk;
        Parallel.For(0, chunks, c =>
        {
            int end = Math.Min(pairs, (c + 1) * Chunk);
            for (int p = c * Chunk; p < end; p++)
            {
                // 1 - u keeps the logarithm finite.
                double u1 = 1.0 - CounterRng.ToUnitDouble(CounterRng.Hash(key, 2UL * (ulong)p));
                double u2 = CounterRng.ToUnitDouble(CounterRng.Hash(key, (2UL * (ulong)p) + 1));
                double r = Math.Sqrt(-2.0 * Math.Log(u1));
                double a = 2.0 * Math.PI * u2;
                destination[2 * p] = (float)(r * Math.Cos(a));
                if ((2 * p) + 1 < destination.Length)
                {
                    destination[(2 * p) + 1] = (float)(r * Math.Sin(a));
                }
            }
        });
    }

    /// <summary>Poisson draws with per-element means <paramref name="lambda"/> (written as floats).</summary>
    public static void FillPoisson(ulong key, float[] lambda, float[] destination)
    {
        ArgumentNullException.ThrowIfNull(lambda);
        ArgumentNullException.ThrowIfNull(destination);
        if (lambda.Length != destination.Length)
        {
            throw new ArgumentException($"lambda has {lambda.Length} elements, destination {destination.Length}.", nameof(destination));
        }

        int chunks = (lambda.Length + Chunk - 1) / Chunk;
        Parallel.For(0, chunks, c =>
        {
            int end = Math.Min(lambda.Length, (c + 1) * Chunk);
            for (int i = c * Chunk; i < end; i++)
            {
                destination[i] = Poisson(CounterRng.Hash(key, (ulong)i), lambda[i]);
            }
        });
    }

    /// <summary>One Poisson draw with mean <paramref name="lambda"/> from the sub-stream <paramref name="key"/>.</summary>
    public static float Poisson(ulong key, double lambda)
    {
        if (!(lambda > 0))
        {
            return 0f;
        }

        ulong n = 0;
        if (lambda < 12)
        {
            // Inversion by sequential search: exact, few steps for small means.
            double u = CounterRng.ToUnitDouble(CounterRng.Hash(key, n));
            double p = Math.Exp(-lambda);
            double cdf = p;
            int k = 0;
            while (u > cdf && k < 1000)
            {
                k++;
                p *= lambda / k;
                cdf += p;
            }

            return k;
        }

        // Transformed rejection with squeeze (Hörmann 1993, "PTRS").
        double slam = Math.Sqrt(lambda);
        double loglam = Math.Log(lambda);
        double b = 0.931 + (2.53 * slam);
        double a = -0.059 + (0.02483 * b);
        double invAlpha = 1.1239 + (1.1328 / (b - 3.4));
        double vr = 0.9277 - (3.6224 / (b - 2));
        while (true)
        {
            double u = CounterRng.ToUnitDouble(CounterRng.Hash(key, n++)) - 0.5;
            double v = CounterRng.ToUnitDouble(CounterRng.Hash(key, n++));
            double us = 0.5 - Math.Abs(u);
            double k = Math.Floor((((2 * a / us) + b) * u) + lambda + 0.43);
            if (us >= 0.07 && v <= vr)
            {
                return (float)k;
            }

            if (k < 0 || (us < 0.013 && v > us))
            {
                continue;
            }

            if (Math.Log(v) + Math.Log(invAlpha) - Math.Log((a / (us * us)) + b) <= -lambda + (k * loglam) - LogGamma(k + 1))
            {
                return (float)k;
            }
        }
    }

    /// <summary>ln Γ(x) for x ≥ 1: exact sums of logarithms below 10, Stirling's series above.</summary>
    internal static double LogGamma(double x)
    {
        double shift = 0;
        while (x < 10)
        {
            shift -= Math.Log(x);
            x += 1;
        }

        double inv = 1.0 / x;
        double inv2 = inv * inv;
        double series = inv * ((1.0 / 12) - (inv2 * ((1.0 / 360) - (inv2 / 1260))));
        return shift + ((x - 0.5) * Math.Log(x)) - x + (0.5 * Math.Log(2 * Math.PI)) + series;
    }
}
