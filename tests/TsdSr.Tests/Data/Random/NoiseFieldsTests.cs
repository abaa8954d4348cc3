using TsdSr.Data.Random;

namespace TsdSr.Tests.Data.Random;

public class NoiseFieldsTests
{
    [Fact]
    public void Standard_normal_fields_have_zero_mean_and_unit_variance()
    {
        var x = new float[200_001];
        NoiseFields.FillStandardNormal(11, x);
        double mean = x.Average(v => (double)v);
        double std = Math.Sqrt(x.Average(v => (v - mean) * (v - mean)));
        Math.Abs(mean).Should().BeLessThan(4 / Math.Sqrt(x.Length));
        Math.Abs(std - 1).Should().BeLessThan(0.01);
        x.Count(v => Math.Abs(v) > 3).Should().BeInRange(400, 700, "P(|z| > 3) = 0.27% gives about 540 of 200k");
    }

    [Fact]
    public void Fields_are_identical_for_the_same_key_whatever_the_scheduling()
    {
        var a = new float[100_000];
        var b = new float[100_000];
        NoiseFields.FillStandardNormal(99, a);
        NoiseFields.FillStandardNormal(99, b);
        b.Should().Equal(a);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(3.0)]
    [InlineData(30.0)]
    [InlineData(200.0)]
    public void Poisson_draws_have_mean_and_variance_lambda(double lambda)
    {
        const int n = 100_000;
        var lam = Enumerable.Repeat((float)lambda, n).ToArray();
        var x = new float[n];
        NoiseFields.FillPoisson(17, lam, x);
        x.Should().OnlyContain(v => v >= 0 && v == Math.Floor(v));
        double mean = x.Average(v => (double)v);
        double variance = x.Average(v => (v - mean) * (v - mean));
        Math.Abs(mean - lambda).Should().BeLessThan(4 * Math.Sqrt(lambda / n));
        Math.Abs((variance / lambda) - 1).Should().BeLessThan(0.03);
    }

    [Fact]
    public void LogGamma_matches_log_factorials()
    {
        double logFactorial = 0;
        for (int k = 1; k <= 40; k++)
        {
            logFactorial += Math.Log(k);
            NoiseFields.LogGamma(k + 1).Should().BeApproximately(logFactorial, 1e-9 * Math.Max(1, logFactorial));
        }
    }
}
