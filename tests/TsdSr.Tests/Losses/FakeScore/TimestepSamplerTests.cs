using TsdSr.Losses.FakeScore;

namespace TsdSr.Tests.Losses.FakeScore;

/// <summary>Index samplers: distributions within statistical tolerance over a few thousand draws; seeded determinism.</summary>
public class TimestepSamplerTests
{
    private const int N = 1000;
    private const int Draws = 4000;

    [Fact]
    public void Logit_normal_indices_have_the_requested_logit_mean_and_std()
    {
        using var scope = NewDisposeScope();
        var options = FakeScoreLossOptions.Reference with { LogitMean = 0.4, LogitStd = 0.8 };
        using var g = new Generator(123);

        var idx = TimestepSampler.Sample(TimestepSampling.LogitNormal, Draws, N, options, g);

        // Mid-bin u = (idx + 0.5) / N undoes the floor to within the bin width.
        var u = idx.to(float64).add(0.5).div(N);
        var logit = u.log().sub(u.neg().add(1).log());
        // Standard errors: 0.8/√4000 ≈ 0.013 for the mean, ≈ 0.009 for the std; tolerances are > 4 SE plus binning.
        logit.mean().item<double>().Should().BeApproximately(0.4, 0.06);
        logit.std().item<double>().Should().BeApproximately(0.8, 0.05);
    }

    [Fact]
    public void Uniform_index_range_covers_fifty_to_nine_hundred_forty_nine_evenly()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(124);

        var idx = TimestepSampler.Sample(TimestepSampling.UniformIndexRange, Draws, N, null, g);

        idx.dtype.Should().Be(ScalarType.Int64);
        idx.min().item<long>().Should().BeGreaterThanOrEqualTo(50);
        idx.max().item<long>().Should().BeLessThanOrEqualTo(949);
        // Uniform on 50..949: mean 499.5, sd ≈ 259.8, SE ≈ 4.1.
        idx.to(float64).mean().item<double>().Should().BeApproximately(499.5, 20);
        idx.to(float64).std().item<double>().Should().BeApproximately(259.8, 10);
    }

    [Fact]
    public void Uniform_and_mode_indices_stay_in_the_schedule()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(125);
        foreach (var sampling in new[] { TimestepSampling.Uniform, TimestepSampling.Mode })
        {
            var idx = TimestepSampler.Sample(sampling, Draws, N, null, g);
            idx.min().item<long>().Should().BeGreaterThanOrEqualTo(0);
            idx.max().item<long>().Should().BeLessThan(N);
        }

        var uniform = TimestepSampler.Sample(TimestepSampling.Uniform, Draws, N, null, g);
        uniform.to(float64).mean().item<double>().Should().BeApproximately(499.5, 20);
    }

    [Theory]
    [InlineData(TimestepSampling.LogitNormal)]
    [InlineData(TimestepSampling.Mode)]
    [InlineData(TimestepSampling.Uniform)]
    [InlineData(TimestepSampling.UniformIndexRange)]
    public void Same_seed_gives_the_same_indices(TimestepSampling sampling)
    {
        using var scope = NewDisposeScope();
        using var g1 = new Generator(77);
        using var g2 = new Generator(77);
        using var g3 = new Generator(78);

        var a = TimestepSampler.Sample(sampling, 500, N, null, g1);
        var b = TimestepSampler.Sample(sampling, 500, N, null, g2);
        var c = TimestepSampler.Sample(sampling, 500, N, null, g3);

        a.eq(b).all().item<bool>().Should().BeTrue();
        a.eq(c).all().item<bool>().Should().BeFalse();
    }
}
