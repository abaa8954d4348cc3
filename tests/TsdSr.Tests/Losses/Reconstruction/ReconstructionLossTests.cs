using TsdSr.Losses.Reconstruction;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Losses.Reconstruction;

/// <summary>L_rec = w_p·mean(P(clamp(img)·0.5 + 0.5, hr·0.5 + 0.5)) + w_mse·MSE_mean(ẑ, z_H) (Eq. 7 as coded).</summary>
public class ReconstructionLossTests
{
    [Fact]
    public void Total_is_perceptual_on_unit_range_images_plus_latent_mse()
    {
        using var scope = NewDisposeScope();
        var loss = new ReconstructionLoss(new MeanAbsolutePerceptual(), new ReconstructionLossOptions { PerceptualWeight = 0.5, LatentMseWeight = 2.0 });
        var zHat = LossTestData.Randn(1, 2, 4, 2, 2).requires_grad_(true);
        var zHr = LossTestData.Randn(2, 2, 4, 2, 2);
        var img = LossTestData.Randn(3, 2, 3, 8, 8).mul(0.8);
        var hr = LossTestData.Randn(4, 2, 3, 8, 8).mul(0.5).clamp(-1, 1);

        using var result = loss.Compute(zHat, zHr, img, hr);

        double mse = zHat.detach().to(float64).sub(zHr.to(float64)).square().mean().item<double>();
        double perceptual = img.to(float64).clamp(-1, 1).mul(0.5).add(0.5).sub(hr.to(float64).mul(0.5).add(0.5)).abs().mean().item<double>();
        result.LatentMse.item<float>().Should().BeApproximately((float)mse, 1e-6f);
        result.Perceptual!.item<float>().Should().BeApproximately((float)perceptual, 1e-6f);
        result.Total.item<float>().Should().BeApproximately((float)((0.5 * perceptual) + (2.0 * mse)), 1e-5f);
    }

    [Fact]
    public void Latent_mse_gradient_is_two_times_the_difference_over_numel()
    {
        using var scope = NewDisposeScope();
        var loss = new ReconstructionLoss(null, new ReconstructionLossOptions { PerceptualWeight = 0 });
        var zHat = LossTestData.Randn(1, 2, 4, 2, 2).requires_grad_(true);
        var zHr = LossTestData.Randn(2, 2, 4, 2, 2);

        using var result = loss.Compute(zHat, zHr);
        result.Total.backward();

        result.Perceptual.Should().BeNull();
        TensorAssert.MaxAbsDiff(zHat.grad!, zHat.detach().sub(zHr).mul(2.0 / zHat.numel())).Should().BeLessThan(1e-7);
    }

    [Fact]
    public void Reference_defaults_weigh_both_terms_one_and_invalid_weights_are_rejected()
    {
        ReconstructionLossOptions.Reference.Should().Be(new ReconstructionLossOptions { LatentMseWeight = 1, PerceptualWeight = 1 });
        ((Action)(() => new ReconstructionLossOptions { LatentMseWeight = -1 }.Validate())).Should().Throw<ArgumentException>();
        ((Action)(() => new ReconstructionLossOptions { LatentMseWeight = 0, PerceptualWeight = 0 }.Validate())).Should().Throw<ArgumentException>();
        ((Action)(() => new ReconstructionLoss(null))).Should().Throw<ArgumentException>().WithMessage("*no perceptual loss*");
    }

    [Fact]
    public void No_tensor_outlives_a_no_grad_reconstruction_loss()
    {
        using var scope = NewDisposeScope();
        var loss = new ReconstructionLoss(new MeanAbsolutePerceptual());
        var zHat = LossTestData.Randn(1, 2, 4, 2, 2);
        var zHr = LossTestData.Randn(2, 2, 4, 2, 2);
        var img = LossTestData.Randn(3, 2, 3, 8, 8);

        LeakCheck.NoLiveTensorsAfter(() =>
        {
            using var noGrad = no_grad();
            using var result = loss.Compute(zHat, zHr, img, img);
        });
    }

    /// <summary>A simple differentiable stand-in for LPIPS: per-sample mean |x − y|.</summary>
    private sealed class MeanAbsolutePerceptual : IPerceptualLoss
    {
        public Tensor Compute(Tensor x, Tensor y)
        {
            using var scope = NewDisposeScope();
            return x.sub(y).abs().mean([1, 2, 3]).MoveToOuterDisposeScope();
        }
    }
}
