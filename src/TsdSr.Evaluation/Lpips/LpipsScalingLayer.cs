using TorchSharp;
using static TorchSharp.torch;

namespace TsdSr.Evaluation.Lpips;

/// <summary>LPIPS v0.1 input normalisation: <c>(x − shift) / scale</c> on [−1,1] inputs (ImageNet mean/std).</summary>
public sealed class LpipsScalingLayer : nn.Module<Tensor, Tensor>
{
    private readonly Tensor shift;
    private readonly Tensor scale;

    /// <summary>Creates the layer with zero shift and unit scale; the real constants are loaded by <see cref="LpipsNetwork"/>.</summary>
    public LpipsScalingLayer()
        : base(nameof(LpipsScalingLayer))
    {
        shift = zeros(1, 3, 1, 1);
        scale = ones(1, 3, 1, 1);
        RegisterComponents();
    }

    /// <summary>Normalises a [N,3,H,W] tensor in [−1,1].</summary>
    public override Tensor forward(Tensor input) => (input - shift) / scale;
}
