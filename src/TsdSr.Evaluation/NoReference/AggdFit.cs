using TsdSr.Evaluation.Statistics;

namespace TsdSr.Evaluation.NoReference;

/// <summary>
/// Asymmetric generalised Gaussian fit by moment matching on pyiqa's shape grid (γ = 0.2 : 0.001 : 10, generated
/// as float32 like <c>torch.arange</c> and used in float64).
/// </summary>
internal static class AggdFit
{
    private static readonly double[] Gamma;
    private static readonly double[] Ratio;
    private static readonly double[] BetaFactor;
    private static readonly double[] MeanFactor;

    static AggdFit()
    {
        // torch.arange(0.2, 10 + 0.001, 0.001): length ceil((end - start) / step), values start + i·step in double,
        // stored as float32 (the default dtype), then cast to the block's float64.
        int n = (int)Math.Ceiling(((10 + 0.001) - 0.2) / 0.001);
        Gamma = new double[n];
        Ratio = new double[n];
        BetaFactor = new double[n];
        MeanFactor = new double[n];
        for (int i = 0; i < n; i++)
        {
            double g = (float)(0.2 + (0.001 * i));
            double l1 = SpecialFunctions.LogGamma(1.0 / g);
            double l2 = SpecialFunctions.LogGamma(2.0 / g);
            double l3 = SpecialFunctions.LogGamma(3.0 / g);
            Gamma[i] = g;
            Ratio[i] = Math.Exp((2 * l2) - (l1 + l3));
            BetaFactor[i] = Math.Sqrt(Math.Exp(l1 - l3));
            MeanFactor[i] = Math.Exp(l2 - l1);
        }
    }

    /// <summary>α, βl, βr of the values, and the factor Γ(2/α)/Γ(1/α) for the mean feature.</summary>
    /// <remarks>
    /// Values with no negative (or no positive) entry — a flat block's all-zero or one-signed coefficients — follow
    /// pyiqa exactly: that side's σ is 0/0 = NaN, so the ratio and every grid distance are NaN, and
    /// <c>torch.argmin</c>, which treats NaN as the smallest value, returns the first index. α is then the first grid
    /// value (0.2 in float32), not NaN; each β is NaN only where its own side is empty.
    /// </remarks>
    public static (double Alpha, double BetaLeft, double BetaRight, double MeanFactor) Fit(ReadOnlySpan<double> x)
    {
        double sumL = 0, sumR = 0, sumAbs = 0, sumSq = 0;
        int nL = 0, nR = 0;
        foreach (var v in x)
        {
            double sq = v * v;
            if (v < 0)
            {
                sumL += sq;
                nL++;
            }
            else if (v > 0)
            {
                sumR += sq;
                nR++;
            }

            sumAbs += Math.Abs(v);
            sumSq += sq;
        }

        double leftStd = Math.Sqrt(sumL / nL);
        double rightStd = Math.Sqrt(sumR / nR);
        double gh = leftStd / rightStd;
        double meanAbs = sumAbs / x.Length;
        double rhat = meanAbs * meanAbs / (sumSq / x.Length);
        double gh2 = gh * gh;
        double rhatNorm = rhat * ((gh2 * gh) + 1) * (gh + 1) / (((gh2 + 1) * (gh2 + 1)));
        int best = 0;
        double bestDist = double.PositiveInfinity;
        for (int i = 0; i < Ratio.Length && !double.IsNaN(rhatNorm); i++)
        {
            double d = Math.Abs(Ratio[i] - rhatNorm);
            if (d < bestDist)
            {
                bestDist = d;
                best = i;
            }
        }

        return (Gamma[best], leftStd * BetaFactor[best], rightStd * BetaFactor[best], MeanFactor[best]);
    }
}
