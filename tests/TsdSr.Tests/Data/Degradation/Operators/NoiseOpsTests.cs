using TsdSr.Data.Degradation.Operators;

namespace TsdSr.Tests.Data.Degradation.Operators;

public class NoiseOpsTests
{
    [Fact]
    public void Gaussian_noise_has_the_requested_standard_deviation_per_sample()
    {
        using var x = full(2, 3, 128, 128, 0.5f);
        using var y = NoiseOps.AddGaussian(x, [10 / 255.0, 25 / 255.0], [false, false], [1UL, 2UL]);
        for (int b = 0; b < 2; b++)
        {
            using var n = y[b] - 0.5f;
            double expected = (b == 0 ? 10 : 25) / 255.0;
            Math.Abs(n.mean().item<float>()).Should().BeLessThan((float)(4 * expected / Math.Sqrt(3 * 128 * 128)));
            n.std().item<float>().Should().BeApproximately((float)expected, (float)(0.02 * expected));
        }
    }

    [Fact]
    public void Grey_noise_is_one_field_shared_by_the_channels_and_colour_noise_is_not()
    {
        using var x = full(2, 3, 32, 32, 0.5f);
        using var y = NoiseOps.AddGaussian(x, [0.05, 0.05], [true, false], [3UL, 4UL]);
        using var greyDiff = (y[0, 0] - y[0, 2]).abs().max();
        greyDiff.item<float>().Should().Be(0f);
        using var colourDiff = (y[1, 0] - y[1, 2]).abs().max();
        colourDiff.item<float>().Should().BeGreaterThan(0.01f);
    }

    [Fact]
    public void Noisy_images_are_clipped_to_the_unit_range()
    {
        using var x = rand(1, 3, 32, 32);
        using var y = NoiseOps.AddGaussian(x, [0.5], [false], [5UL]);
        y.min().item<float>().Should().Be(0f);
        y.max().item<float>().Should().Be(1f);
        using var p = NoiseOps.AddPoisson(x, [3.0], [false], [6UL]);
        p.min().item<float>().Should().BeGreaterThanOrEqualTo(0f);
        p.max().item<float>().Should().BeLessThanOrEqualTo(1f);
    }

    [Fact]
    public void Poisson_noise_variance_grows_linearly_with_intensity()
    {
        // A ramp with all 256 levels makes v = 256, so noise in a flat region of level q has variance scale²·q/256.
        using var x = Levels();
        const double scale = 1.5;
        using var y = NoiseOps.AddPoisson(x, [scale], [false], [7UL]);
        using var noise = y - x;
        double low = Variance(noise, 0), high = Variance(noise, 1);
        double qLow = Math.Round(0.2 * 255) / 255, qHigh = Math.Round(0.6 * 255) / 255;
        low.Should().BeApproximately(scale * scale * qLow / 256, 0.06 * scale * scale * qLow / 256);
        high.Should().BeApproximately(scale * scale * qHigh / 256, 0.06 * scale * scale * qHigh / 256);
        (high / low).Should().BeApproximately(qHigh / qLow, 0.2);
    }

    [Fact]
    public void Grey_Poisson_noise_is_shared_by_the_channels()
    {
        using var x = Levels();
        using var y = NoiseOps.AddPoisson(x, [1.0], [true], [8UL]);
        using var n = y - x;
        using var diff = (n[0, 0] - n[0, 1]).abs().max();
        diff.item<float>().Should().BeLessThan(1e-6f);
    }

    [Fact]
    public void The_level_count_is_the_next_power_of_two_of_the_distinct_levels()
    {
        using var a = tensor(new float[] { 0, 1, 2, 3, 4 });
        NoiseOps.LevelCount(a).Should().Be(8);
        using var b = tensor(new float[] { 7, 7, 7 });
        NoiseOps.LevelCount(b).Should().Be(1);
        using var c = arange(256, dtype: float32);
        NoiseOps.LevelCount(c).Should().Be(256);
    }

    /// <summary>[1,3,256,512]: rows 0–1 a ramp over all 256 levels, then the left half at 0.2 and the right half at 0.6.</summary>
    private static Tensor Levels()
    {
        var x = zeros(1, 3, 256, 512);
        x[.., .., .., ..256] = 0.2f;
        x[.., .., .., 256..] = 0.6f;
        using var ramp = arange(512, dtype: float32).div(2).floor().div(255f).view(1, 1, 1, 512).expand(1, 3, 2, 512);
        x[.., .., ..2, ..] = ramp;
        return x;
    }

    private static double Variance(Tensor noise, int half)
    {
        using var region = noise[.., .., 4.., (half * 256)..((half + 1) * 256)];
        return region.to(float64).var().item<double>();
    }
}
