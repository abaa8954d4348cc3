using TsdSr.Data.Degradation.Operators;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Data.Degradation.Operators;

public class UsmSharpenerTests
{
    [Fact]
    public void The_blur_is_51_taps_with_opencv_sigma_8_and_sums_to_one()
    {
        UsmSharpener.Sigma.Should().BeApproximately(8.0, 1e-12);
        var k = UsmSharpener.Kernel1D();
        k.Length.Should().Be(51);
        k.Sum().Should().BeApproximately(1, 1e-12);
        (k[25 + 8] / k[25]).Should().BeApproximately(Math.Exp(-0.5), 1e-12, "one σ from the centre");
    }

    [Fact]
    public void Separable_blur_equals_the_2d_outer_product_filter()
    {
        using var x = rand(1, 3, 60, 64);
        using var separable = UsmSharpener.Blur(x);
        var k1 = UsmSharpener.Kernel1D();
        var k2 = new float[51 * 51];
        for (int i = 0; i < 51; i++)
        {
            for (int j = 0; j < 51; j++)
            {
                k2[(i * 51) + j] = (float)(k1[i] * k1[j]);
            }
        }

        using var kernel = tensor(k2, new long[] { 1, 51, 51 });
        using var direct = Filter2D.Apply(x, kernel);
        TensorAssert.Close(separable, direct, 1e-5);
    }

    [Fact]
    public void Flat_images_are_unchanged_and_edges_gain_contrast()
    {
        using var flat = full(1, 3, 64, 64, 0.4f);
        using var same = UsmSharpener.Apply(flat);
        TensorAssert.Close(same, flat, 1e-6);

        using var edge = full(1, 3, 64, 64, 0.3f);
        edge[.., .., .., 32..] = 0.7f;
        using var sharp = UsmSharpener.Apply(edge);
        sharp[0, 0, 10, 31].item<float>().Should().BeLessThan(0.3f, "the dark side of the edge gets darker");
        sharp[0, 0, 10, 32].item<float>().Should().BeGreaterThan(0.7f, "the bright side gets brighter");
        sharp.min().item<float>().Should().BeGreaterThanOrEqualTo(0f);
        sharp.max().item<float>().Should().BeLessThanOrEqualTo(1f);
    }
}
