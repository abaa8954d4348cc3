using TsdSr.Evaluation.Statistics;

namespace TsdSr.Tests.Evaluation.Statistics;

public class SymmetricEigenTests
{
    private static double[,] RandomSpd(int n, int rank, int seed)
    {
        var rng = new Random(seed);
        var b = new double[n, rank];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < rank; k++)
            {
                b[i, k] = rng.NextDouble() - 0.5;
            }
        }

        var a = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                for (int k = 0; k < rank; k++)
                {
                    a[i, j] += b[i, k] * b[j, k];
                }
            }
        }

        return a;
    }

    private static double[,] Mul(double[,] a, double[,] b)
    {
        int n = a.GetLength(0);
        var c = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                for (int k = 0; k < n; k++)
                {
                    c[i, j] += a[i, k] * b[k, j];
                }
            }
        }

        return c;
    }

    [Fact]
    public void Decomposition_reconstructs_the_matrix()
    {
        var a = RandomSpd(12, 12, 1);
        var (values, v) = SymmetricEigen.Decompose(a);
        for (int i = 0; i < 12; i++)
        {
            for (int j = 0; j < 12; j++)
            {
                double s = 0;
                for (int k = 0; k < 12; k++)
                {
                    s += v[i, k] * values[k] * v[j, k];
                }

                s.Should().BeApproximately(a[i, j], 1e-12);
            }
        }
    }

    [Fact]
    public void Pseudo_inverse_of_a_rank_deficient_matrix_satisfies_the_penrose_identity()
    {
        var a = RandomSpd(10, 4, 2);
        var p = SymmetricEigen.PseudoInverse(a);
        var apa = Mul(Mul(a, p), a);
        for (int i = 0; i < 10; i++)
        {
            for (int j = 0; j < 10; j++)
            {
                apa[i, j].Should().BeApproximately(a[i, j], 1e-10);
            }
        }
    }

    [Fact]
    public void Log_gamma_matches_known_values()
    {
        SpecialFunctions.LogGamma(1).Should().BeApproximately(0, 1e-14);
        SpecialFunctions.LogGamma(0.5).Should().BeApproximately(0.5 * Math.Log(Math.PI), 1e-14);
        SpecialFunctions.LogGamma(10).Should().BeApproximately(Math.Log(362880), 1e-12);
        SpecialFunctions.LogGamma(0.1).Should().BeApproximately(2.252712651734206, 1e-13);
    }
}
