using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TsdSr.Evaluation.Statistics;

/// <summary>SIMD row primitives for the pixel metrics; each element's sum order stays fixed, so results are deterministic.</summary>
internal static class RowKernels
{
    /// <summary><c>acc[i] += w · src[i]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy(Span<double> acc, ReadOnlySpan<double> src, double w)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && acc.Length >= Vector<double>.Count)
        {
            var vw = new Vector<double>(w);
            var va = MemoryMarshal.Cast<double, Vector<double>>(acc);
            for (int v = 0; v < va.Length; v++)
            {
                va[v] += vw * new Vector<double>(src.Slice(v * Vector<double>.Count, Vector<double>.Count));
            }

            i = va.Length * Vector<double>.Count;
        }

        for (; i < acc.Length; i++)
        {
            acc[i] += w * src[i];
        }
    }

    /// <summary><c>acc[i] += w · src[i]²</c> (the square first, as filtering a squared image does).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AxpySquare(Span<double> acc, ReadOnlySpan<double> src, double w)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && acc.Length >= Vector<double>.Count)
        {
            var vw = new Vector<double>(w);
            var va = MemoryMarshal.Cast<double, Vector<double>>(acc);
            for (int v = 0; v < va.Length; v++)
            {
                var s = new Vector<double>(src.Slice(v * Vector<double>.Count, Vector<double>.Count));
                va[v] += vw * (s * s);
            }

            i = va.Length * Vector<double>.Count;
        }

        for (; i < acc.Length; i++)
        {
            acc[i] += w * (src[i] * src[i]);
        }
    }

    /// <summary>'Valid' correlation with the separable kernel <c>g ⊗ g</c>: (w − k + 1) × (h − k + 1) output.</summary>
    public static double[] SeparableValid(double[] src, int w, int h, double[] g)
    {
        int k = g.Length, ow = w - k + 1, oh = h - k + 1;
        var horizontal = new double[h * ow];
        Parallel.For(0, h, r =>
        {
            var dst = horizontal.AsSpan(r * ow, ow);
            for (int t = 0; t < k; t++)
            {
                Axpy(dst, src.AsSpan((r * w) + t, ow), g[t]);
            }
        });
        var result = new double[oh * ow];
        Parallel.For(0, oh, r =>
        {
            var dst = result.AsSpan(r * ow, ow);
            for (int t = 0; t < k; t++)
            {
                Axpy(dst, horizontal.AsSpan((r + t) * ow, ow), g[t]);
            }
        });
        return result;
    }
}
