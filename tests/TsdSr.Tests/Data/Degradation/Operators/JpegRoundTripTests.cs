using TsdSr.Data.Degradation.Operators;

namespace TsdSr.Tests.Data.Degradation.Operators;

public class JpegRoundTripTests
{
    [Fact]
    public void Lower_quality_gives_a_larger_error_on_a_real_photo()
    {
        using var x = DataTestImages.PhotoCrop(128);
        var errors = new List<double>();
        foreach (int q in new[] { 10, 30, 50, 70, 90, 100 })
        {
            using var y = JpegRoundTrip.Apply(x, [q]);
            y.shape.Should().Equal(x.shape);
            using var mse = (y - x).square().mean();
            errors.Add(mse.item<float>());
        }

        errors.Should().BeInDescendingOrder();
        errors.Should().OnlyHaveUniqueItems();
        Math.Sqrt(errors[^1]).Should().BeLessThan(2 / 255.0, "quality 100 is nearly lossless");
    }

    [Fact]
    public void Each_sample_uses_its_own_quality_and_the_output_is_8_bit()
    {
        using var one = DataTestImages.PhotoCrop(64);
        using var x = cat([one, one], 0);
        using var y = JpegRoundTrip.Apply(x, [20, 95]);
        using var e0 = (y[0] - x[0]).square().mean();
        using var e1 = (y[1] - x[1]).square().mean();
        e0.item<float>().Should().BeGreaterThan(e1.item<float>());
        using var scaled = y * 255f;
        using var frac = (scaled - scaled.round()).abs().max();
        frac.item<float>().Should().BeLessThan(1e-4f);
    }

    [Fact]
    public void Qualities_outside_1_to_100_are_rejected()
    {
        using var x = rand(1, 3, 16, 16);
        var act = () => JpegRoundTrip.Apply(x, [0]);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
