using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TsdSr.Evaluation.Fid;

/// <summary>torchvision Inception's conv (no bias) → BatchNorm (eps 0.001) → ReLU; keys <c>conv.weight</c>, <c>bn.*</c>.</summary>
public sealed class BasicConv2d : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly BatchNorm2d bn;

    /// <summary>Creates the block; kernel, stride and padding as (height, width).</summary>
    public BasicConv2d(long inChannels, long outChannels, (long, long) kernel, (long, long)? stride = null, (long, long)? padding = null)
        : base(nameof(BasicConv2d))
    {
        conv = nn.Conv2d(inChannels, outChannels, kernel, stride ?? (1, 1), padding ?? (0, 0), bias: false);
        bn = nn.BatchNorm2d(outChannels, eps: 0.001);
        RegisterComponents();
    }

    /// <summary>Square-kernel convenience constructor.</summary>
    public BasicConv2d(long inChannels, long outChannels, long kernel, long stride = 1, long padding = 0)
        : this(inChannels, outChannels, (kernel, kernel), (stride, stride), (padding, padding))
    {
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return nn.functional.relu(bn.forward(conv.forward(input))).MoveToOuterDisposeScope();
    }
}
