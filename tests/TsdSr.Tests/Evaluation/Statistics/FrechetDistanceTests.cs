using TsdSr.Evaluation.Statistics;

namespace TsdSr.Tests.Evaluation.Statistics;

public class FrechetDistanceTests
{
    [Fact]
    public void Diagonal_gaussians_follow_the_closed_form()
    {
        // For diagonal covariances: ‖μ1 − μ2‖² + Σ (σ1 − σ2)².
        using var scope = NewDisposeScope();
        var mu1 = tensor(new[] { 0.0, 1.0, 2.0 });
        var mu2 = tensor(new[] { 1.0, 1.0, 0.0 });
        var var1 = tensor(new[] { 4.0, 1.0, 9.0 });
        var var2 = tensor(new[] { 1.0, 1.0, 0.0 });
        double expected = 1 + 0 + 4 + ((2 - 1) * (2 - 1)) + 0 + ((3 - 0) * (3 - 0));
        FrechetDistance.FromMoments(mu1, diag(var1), mu2, diag(var2)).Should().BeApproximately(expected, 1e-10);
    }

    [Fact]
    public void Equal_covariances_leave_only_the_mean_term_even_when_rank_deficient()
    {
        using var scope = NewDisposeScope();
        var gen = manual_seed(1);
        var b = randn(16, 3, dtype: float64);
        var cov = b.matmul(b.t());
        var mu1 = randn(16, dtype: float64);
        var mu2 = randn(16, dtype: float64);
        double expected = (mu1 - mu2).square().sum().item<double>();
        FrechetDistance.FromMoments(mu1, cov, mu2, cov).Should().BeApproximately(expected, 1e-8);
    }

    [Fact]
    public void Feature_sets_use_the_unbiased_covariance_and_are_symmetric()
    {
        using var scope = NewDisposeScope();
        var gen = manual_seed(2);
        var a = randn(40, 8, dtype: float64);
        var b = (randn(30, 8, dtype: float64) * 1.5) + 0.3;
        var (_, cov) = FrechetDistance.Moments(a);
        var centred = a - a.mean([0]);
        (cov - (centred.t().matmul(centred) / 39)).abs().max().item<double>().Should().BeLessThan(1e-12);
        double ab = FrechetDistance.FromFeatures(a, b);
        ab.Should().BeApproximately(FrechetDistance.FromFeatures(b, a), 1e-8);
        ab.Should().BeGreaterThan(0);
        FrechetDistance.FromFeatures(a, a).Should().BeApproximately(0, 1e-8);
    }

    [Fact]
    public void Mismatched_feature_sizes_are_rejected()
    {
        using var scope = NewDisposeScope();
        var act = () => FrechetDistance.FromFeatures(zeros(4, 3), zeros(4, 5));
        act.Should().Throw<ArgumentException>().WithMessage("*[4, 3]*[4, 5]*");
    }
}
