namespace TsdSr.Evaluation.Statistics;

/// <summary>
/// Eigendecomposition of small symmetric matrices by cyclic Jacobi rotations in float64 (accurate to a few ulps,
/// robust for the rank-deficient covariances of NIQE and FID), plus the pseudo-inverse built on it.
/// </summary>
internal static class SymmetricEigen
{
    /// <summary>Eigenvalues and column eigenvectors (<c>vectors[i, k]</c> is component i of vector k).</summary>
    public static (double[] Values, double[,] Vectors) Decompose(double[,] matrix)
    {
        int n = matrix.GetLength(0);
        if (matrix.GetLength(1) != n)
        {
            throw new ArgumentException($"Expected a square matrix, got {n}x{matrix.GetLength(1)}.", nameof(matrix));
        }

        var a = (double[,])matrix.Clone();
        var v = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            v[i, i] = 1;
        }

        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0, diag = 0;
            for (int p = 0; p < n; p++)
            {
                diag += a[p, p] * a[p, p];
                for (int q = p + 1; q < n; q++)
                {
                    off += a[p, q] * a[p, q];
                }
            }

            if (off <= 1e-30 * diag || off == 0)
            {
                break;
            }

            for (int p = 0; p < n - 1; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    Rotate(a, v, n, p, q);
                }
            }
        }

        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = a[i, i];
        }

        return (values, v);
    }

    /// <summary>
    /// Moore–Penrose pseudo-inverse of a symmetric matrix; singular values below <c>n·ε·σmax</c> are dropped, the
    /// default cut-off of <c>torch.linalg.pinv</c>.
    /// </summary>
    public static double[,] PseudoInverse(double[,] matrix)
    {
        int n = matrix.GetLength(0);
        var (values, vectors) = Decompose(matrix);
        double max = values.Max(Math.Abs);
        double cutoff = n * 2.220446049250313e-16 * max;
        var inv = new double[n, n];
        for (int k = 0; k < n; k++)
        {
            if (Math.Abs(values[k]) <= cutoff)
            {
                continue;
            }

            double s = 1.0 / values[k];
            for (int i = 0; i < n; i++)
            {
                double vi = vectors[i, k] * s;
                for (int j = 0; j < n; j++)
                {
                    inv[i, j] += vi * vectors[j, k];
                }
            }
        }

        return inv;
    }

    private static void Rotate(double[,] a, double[,] v, int n, int p, int q)
    {
        double apq = a[p, q];
        if (apq == 0)
        {
            return;
        }

        double theta = (a[q, q] - a[p, p]) / (2 * apq);
        double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
        if (theta == 0)
        {
            t = 1;
        }

        double c = 1 / Math.Sqrt((t * t) + 1), s = t * c;
        for (int k = 0; k < n; k++)
        {
            double akp = a[k, p], akq = a[k, q];
            a[k, p] = (c * akp) - (s * akq);
            a[k, q] = (s * akp) + (c * akq);
        }

        for (int k = 0; k < n; k++)
        {
            double apk = a[p, k], aqk = a[q, k];
            a[p, k] = (c * apk) - (s * aqk);
            a[q, k] = (s * apk) + (c * aqk);
        }

        for (int k = 0; k < n; k++)
        {
            double vkp = v[k, p], vkq = v[k, q];
            v[k, p] = (c * vkp) - (s * vkq);
            v[k, q] = (s * vkp) + (c * vkq);
        }
    }
}
