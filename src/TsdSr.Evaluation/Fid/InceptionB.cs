using static TorchSharp.torch;

namespace TsdSr.Evaluation.Fid;

/// <summary>torchvision InceptionB (grid reduction 35→17).</summary>
public sealed class InceptionB : nn.Module<Tensor, Tensor>
{
    private readonly BasicConv2d branch3x3;
    private readonly BasicConv2d branch3x3dbl_1;
    private readonly BasicConv2d branch3x3dbl_2;
    private readonly BasicConv2d branch3x3dbl_3;

    /// <summary>Creates the block.</summary>
    public InceptionB(long inChannels)
        : base(nameof(InceptionB))
    {
        branch3x3 = new BasicConv2d(inChannels, 384, 3, stride: 2);
        branch3x3dbl_1 = new BasicConv2d(inChannels, 64, 1);
        branch3x3dbl_2 = new BasicConv2d(64, 96, 3, padding: 1);
        branch3x3dbl_3 = new BasicConv2d(96, 96, 3, stride: 2);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var b3 = branch3x3.forward(x);
        var bd = branch3x3dbl_3.forward(branch3x3dbl_2.forward(branch3x3dbl_1.forward(x)));
        var bp = nn.functional.max_pool2d(x, 3, 2);
        return cat([b3, bd, bp], 1).MoveToOuterDisposeScope();
    }
}
