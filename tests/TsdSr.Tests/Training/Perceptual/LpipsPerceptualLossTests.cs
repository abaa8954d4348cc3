using TsdSr.Evaluation.Lpips;
using TsdSr.Losses.Reconstruction;
using TsdSr.Tests.TestSupport;
using TsdSr.Training.Perceptual;

namespace TsdSr.Tests.Training.Perceptual;

/// <summary>The training loss uses the metric's LPIPS: same values, gradients into the images only.</summary>
public class LpipsPerceptualLossTests
{
    private static string Backbone => FixturePaths.Get("lpips_alex_random_backbone", "alexnet_features.safetensors.index.json");

    [Fact]
    public void Loss_equals_the_metric_network_and_is_differentiable_in_the_images_only()
    {
        manual_seed(3);
        using var metric = LpipsNetwork.Create(LpipsBackbone.Alex, Backbone);
        using var loss = LpipsPerceptualLoss.Create(LpipsBackbone.Alex, Backbone);
        IPerceptualLoss perceptual = loss;
        using var x = rand(2, 3, 64, 64).requires_grad_();
        using var y = rand(2, 3, 64, 64);

        using var value = perceptual.Compute(x, y);
        using (no_grad())
        {
            using var expected = metric.forward(x, y);
            TensorAssert.MaxAbsDiff(value, expected).Should().Be(0);
        }

        using var mean = value.mean();
        mean.backward();
        x.grad.Should().NotBeNull();
        x.grad!.abs().sum().item<float>().Should().BeGreaterThan(0);
    }
}
