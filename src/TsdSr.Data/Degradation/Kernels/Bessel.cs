namespace TsdSr.Data.Degradation.Kernels;

/// <summary>Bessel functions needed by the sinc (jinc) kernel.</summary>
public static class Bessel
{
    private const int Nodes = 256;

    /// <summary>
    /// J1(x) from Bessel's integral J1(x) = (1/2π)∫₀^{2π} cos(τ − x·sin τ) dτ by the trapezoidal rule. The integrand
    /// is periodic and analytic, so the rule converges geometrically once the node count exceeds |x| (here 256 nodes,
    /// accurate to ~1e-15 for |x| ≤ 150, far beyond the ≤ 45 a 21-tap kernel needs).
    /// </summary>
    public static double J1(double x)
    {
        if (!double.IsFinite(x) || Math.Abs(x) > 150)
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "J1 is evaluated for |x| <= 150 only.");
        }

        double sum = 0;
        for (int i = 0; i < Nodes; i++)
        {
            double t = 2 * Math.PI * i / Nodes;
            sum += Math.Cos(t - (x * Math.Sin(t)));
        }

        return sum / Nodes;
    }
}
