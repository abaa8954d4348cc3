using TsdSr.Evaluation.NoReference;

namespace TsdSr.Tests.Evaluation.NoReference;

/// <summary>
/// The AGGD fit where one side of the distribution is empty, as pyiqa's <c>estimate_aggd_param</c> computes it: the empty
/// side's σ is 0/0 = NaN, so are the ratio R and every grid distance |r(γ) − R|, and <c>torch.argmin</c> over an all-NaN
/// row returns index 0. Values below are worked out by hand from those rules.
/// </summary>
public class AggdFitTests
{
    /// <summary>The first grid value: <c>torch.arange(0.2, …)</c> stores 0.2 as float32, used in float64.</summary>
    private const double FirstGamma = (double)0.2f;

    [Fact]
    public void All_zero_values_give_alpha_0_2_and_no_beta()
    {
        // Zeros count on neither side: σl = σr = 0/0 = NaN; r̂ = 0²/0 = NaN; α = γ[0]; β = NaN·factor = NaN.
        var fit = AggdFit.Fit(new double[64]);

        fit.Alpha.Should().Be(FirstGamma);
        double.IsNaN(fit.BetaLeft).Should().BeTrue();
        double.IsNaN(fit.BetaRight).Should().BeTrue();

        // Γ(2/α)/Γ(1/α) at α = 0.2: Γ(10)/Γ(5) = 362880/24 = 15120 (α is 0.2 + 3e-9, which moves it by ~2e-7 relative).
        fit.MeanFactor.Should().BeApproximately(15120, 15120 * 1e-5);
    }

    [Fact]
    public void One_signed_values_keep_alpha_0_2_and_the_beta_of_the_side_that_has_values()
    {
        // All −2: σl = sqrt(mean(4)) = 2, σr = 0/0 = NaN, so R and every distance are NaN and α = γ[0].
        // βl = σl·sqrt(Γ(1/α)/Γ(3/α)) = 2·sqrt(Γ(5)/Γ(15)) = 2·sqrt(24 / 87178291200); βr = NaN.
        var negative = AggdFit.Fit(Enumerable.Repeat(-2.0, 64).ToArray());
        double expectedBeta = 2 * Math.Sqrt(24.0 / 87178291200.0);

        negative.Alpha.Should().Be(FirstGamma);
        negative.BetaLeft.Should().BeApproximately(expectedBeta, expectedBeta * 1e-5);
        double.IsNaN(negative.BetaRight).Should().BeTrue();

        // Mirrored: all +2 puts the same β on the right.
        var positive = AggdFit.Fit(Enumerable.Repeat(2.0, 64).ToArray());
        positive.Alpha.Should().Be(FirstGamma);
        double.IsNaN(positive.BetaLeft).Should().BeTrue();
        positive.BetaRight.Should().BeApproximately(expectedBeta, expectedBeta * 1e-5);
    }

    [Fact]
    public void Values_on_both_sides_are_fitted_on_the_grid()
    {
        // ±1 with equal counts: σl = σr = 1, ĝ = 1, r̂ = 1, R = 1·2·2/4 = 1. r(γ) = Γ(2/γ)²/(Γ(1/γ)Γ(3/γ)) rises towards
        // 3/4 as γ grows (Γ(ε) ≈ 1/ε), so every grid value is below R and the closest is the last, γ = 10;
        // β = sqrt(Γ(1/10)/Γ(3/10)) on both sides.
        var fit = AggdFit.Fit(Enumerable.Range(0, 64).Select(i => i % 2 == 0 ? 1.0 : -1.0).ToArray());
        double beta = Math.Sqrt(9.5135076986687318 / 2.9915689876875906);

        fit.Alpha.Should().BeApproximately(10, 1e-4);
        fit.BetaLeft.Should().BeApproximately(beta, beta * 1e-4);
        fit.BetaRight.Should().Be(fit.BetaLeft);
    }
}
