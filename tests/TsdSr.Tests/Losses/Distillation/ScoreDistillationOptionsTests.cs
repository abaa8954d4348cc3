using TsdSr.Losses.Distillation;

namespace TsdSr.Tests.Losses.Distillation;

/// <summary>Reference defaults of the distillation options and the weighting function w(t).</summary>
public class ScoreDistillationOptionsTests
{
    [Fact]
    public void Defaults_are_the_reference_lambda_and_sigma_squared_weighting()
    {
        var o = ScoreDistillationOptions.Reference;
        o.VsdWeight.Should().Be(0.7);
        o.Weighting.Should().Be(ScoreWeighting.SigmaSquared);
        o.NanToNum.Should().BeTrue();
        ScoreDistillationOptions.VsdOnly.VsdWeight.Should().Be(1.0);
        ScoreDistillationOptions.TsmOnly.VsdWeight.Should().Be(0.0);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Lambda_outside_zero_one_is_rejected(double lambda)
    {
        var act = () => new ScoreDistillationOptions { VsdWeight = lambda }.Validate();
        act.Should().Throw<ArgumentException>().WithMessage("*[0, 1]*");
    }

    [Theory]
    [InlineData(0.13884)]
    [InlineData(0.5)]
    [InlineData(0.98276)]
    public void Sigma_squared_weighting_is_sigma_times_sigma(double sigma)
    {
        using var scope = NewDisposeScope();
        ScoreWeightingFunction.Evaluate(ScoreWeighting.SigmaSquared, sigma).Should().Be(sigma * sigma);
        ScoreWeightingFunction.Evaluate(ScoreWeighting.SigmaSquared, tensor(new[] { sigma }, float64)).item<double>().Should().Be(sigma * sigma);
        ScoreWeightingFunction.Evaluate(ScoreWeighting.None, tensor(new[] { sigma }, float64)).item<double>().Should().Be(1.0);
    }
}
