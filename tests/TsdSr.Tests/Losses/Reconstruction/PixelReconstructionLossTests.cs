using TsdSr.Losses.Reconstruction;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Losses.Reconstruction;

/// <summary>The backbone-free reconstruction distance: L1, 1 − SSIM and the Fourier L1.</summary>
public class PixelReconstructionLossTests
{
    [Fact]
    public void Ssim_of_an_image_with_itself_is_one_and_falls_with_noise()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(1);
        var x = rand([2, 3, 32, 32], generator: g);
        var noise = randn([2, 3, 32, 32], generator: g);
        var same = DifferentiableSsim.Compute(x, x);
        same.shape.Should().Equal(2);
        same.data<float>().ToArray().Should().AllSatisfy(v => v.Should().BeApproximately(1f, 1e-5f));
        var slightly = DifferentiableSsim.Compute(x.add(noise.mul(0.1)), x).data<float>().ToArray();
        var strongly = DifferentiableSsim.Compute(x.add(noise.mul(0.3)), x).data<float>().ToArray();
        slightly.Should().AllSatisfy(v => v.Should().BeLessThan(0.99f));
        strongly.Zip(slightly).Should().AllSatisfy(p => p.First.Should().BeLessThan(p.Second - 0.1f));
    }

    [Fact]
    public void Ssim_of_two_constant_images_follows_the_luminance_term()
    {
        // Flat images: σ = 0 and cov = 0, so SSIM = (2·a·b + C1) / (a² + b² + C1) · (C2 / C2).
        using var scope = NewDisposeScope();
        // In float64, so that σ² = E[x²] − E[x]² cancels to within 1e-16 rather than float32's 1e-7 (against C2 = 9e-4).
        var a = full([1, 1, 16, 16], 0.25, ScalarType.Float64);
        var b = full([1, 1, 16, 16], 0.75, ScalarType.Float64);
        double c1 = 0.01 * 0.01;
        double expected = ((2 * 0.25 * 0.75) + c1) / ((0.25 * 0.25) + (0.75 * 0.75) + c1);
        DifferentiableSsim.Compute(a, b).item<double>().Should().BeApproximately(expected, 1e-9);
    }

    [Fact]
    public void The_frequency_distance_of_a_constant_image_is_its_dc_term_over_the_spectrum_size()
    {
        // Orthonormal rfft2 of an N×N constant c: DC = c·N, every other bin 0, over N·(N/2 + 1) bins.
        using var scope = NewDisposeScope();
        const int n = 16;
        var x = full([1, 3, n, n], 0.5f);
        var y = zeros([1, 3, n, n]);
        FrequencyDistance.Compute(x, y).item<float>().Should().BeApproximately(0.5f / ((n / 2) + 1), 1e-6f);
        FrequencyDistance.Compute(x, x).item<float>().Should().Be(0f);
    }

    [Fact]
    public void The_total_is_the_weighted_sum_of_the_terms_and_carries_a_gradient()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(7);
        var y = rand([2, 3, 24, 24], generator: g);
        var x = rand([2, 3, 24, 24], generator: g).requires_grad_();
        var loss = new PixelReconstructionLoss(new PixelLossOptions { L1Weight = 2, SsimWeight = 0.5, FrequencyWeight = 3 });

        var (total, l1, ssim, freq) = loss.ComputeTerms(x, y);

        var expected = l1.mul(2).add(ssim.neg().add(1).mul(0.5)).add(freq.mul(3));
        TensorAssert.Close(total, expected, 1e-6);
        l1.data<float>()[0].Should().BeApproximately(x[0].sub(y[0]).abs().mean().item<float>(), 1e-6f);
        total.sum().backward();
        x.grad!.abs().sum().item<float>().Should().BeGreaterThan(0);
    }

    [Fact]
    public void Weights_must_be_finite_non_negative_and_not_all_zero()
    {
        var act = () => new PixelReconstructionLoss(new PixelLossOptions { L1Weight = 0, SsimWeight = 0, FrequencyWeight = 0 });
        act.Should().Throw<ArgumentException>().WithMessage("*at least one*");
        act = () => new PixelReconstructionLoss(new PixelLossOptions { SsimWeight = -1 });
        act.Should().Throw<ArgumentException>().WithMessage("*ssim*");
    }

    [Fact]
    public void A_weighted_sum_of_distances_adds_each_weighted_term()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(3);
        var y = rand([2, 3, 16, 16], generator: g);
        var x = rand([2, 3, 16, 16], generator: g);
        var pixel = new PixelReconstructionLoss();
        var sum = new WeightedPerceptualLoss((pixel, 0.25), (pixel, 2.0));
        TensorAssert.Close(sum.Compute(x, y), pixel.Compute(x, y).mul(2.25), 1e-6);
    }
}
