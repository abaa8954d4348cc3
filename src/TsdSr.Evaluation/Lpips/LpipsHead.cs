using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TsdSr.Evaluation.Lpips;

/// <summary>One LPIPS v0.1 linear head: <c>model = Sequential(Dropout, Conv2d(C→1, 1×1, no bias))</c>, keys <c>model.1.weight</c>.</summary>
public sealed class LpipsHead : nn.Module<Tensor, Tensor>
{
    private readonly Sequential model;

    /// <summary>Creates a head over <paramref name="channels"/> feature channels.</summary>
    public LpipsHead(long channels)
        : base(nameof(LpipsHead))
    {
        model = nn.Sequential(("0", nn.Dropout()), ("1", nn.Conv2d(channels, 1, 1, bias: false)));
        RegisterComponents();
    }

    /// <summary>Weighted channel sum of a squared feature difference → [N,1,H,W].</summary>
    public override Tensor forward(Tensor input) => model.forward(input);
}
