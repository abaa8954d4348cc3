using TsdSr.Losses.Reconstruction;

namespace TsdSr.Tests.Training.Loop;

/// <summary>A differentiable stand-in for LPIPS in the loop tests: mean absolute pixel difference per sample.</summary>
internal sealed class PixelL1Loss : IPerceptualLoss
{
    public Tensor Compute(Tensor x, Tensor y)
    {
        using var scope = torch.NewDisposeScope();
        return x.sub(y).abs().mean([1, 2, 3]).MoveToOuterDisposeScope();
    }
}
