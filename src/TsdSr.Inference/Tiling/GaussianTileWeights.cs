using TorchSharp;

namespace TsdSr.Inference.Tiling;

/// <summary>
/// The reference's blending weights: a separable Gaussian with variance 0.01 of the normalised coordinate, computed in
/// float64, with the x midpoint at (size − 1)/2 but the y midpoint at size/2 (the reference's asymmetry, kept so
/// tiled results match it).
/// </summary>
public static class GaussianTileWeights
{
    private const double Variance = 0.01;

    /// <summary>The weights as a float64 tensor [size, size] (rows = y).</summary>
    public static torch.Tensor Create(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        var gx = Profile(size, (size - 1) / 2.0);
        var gy = Profile(size, size / 2.0);
        var w = new double[size * size];
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                w[(y * size) + x] = gy[y] * gx[x];
            }
        }

        return torch.tensor(w, new long[] { size, size }, torch.ScalarType.Float64);
    }

    private static double[] Profile(int size, double midpoint)
    {
        var p = new double[size];
        double norm = Math.Sqrt(2 * Math.PI * Variance);
        for (int i = 0; i < size; i++)
        {
            p[i] = Math.Exp(-(i - midpoint) * (i - midpoint) / ((double)size * size) / (2 * Variance)) / norm;
        }

        return p;
    }
}
