using static TorchSharp.torch;

namespace TsdSr.Evaluation.Fid;

/// <summary>pytorch-fid's FIDInceptionA: torchvision InceptionA with an average pool that ignores padding.</summary>
public sealed class FidInceptionA : nn.Module<Tensor, Tensor>
{
    private readonly BasicConv2d branch1x1;
    private readonly BasicConv2d branch5x5_1;
    private readonly BasicConv2d branch5x5_2;
    private readonly BasicConv2d branch3x3dbl_1;
    private readonly BasicConv2d branch3x3dbl_2;
    private readonly BasicConv2d branch3x3dbl_3;
    private readonly BasicConv2d branch_pool;

    /// <summary>Creates the block.</summary>
    public FidInceptionA(long inChannels, long poolFeatures)
        : base(nameof(FidInceptionA))
    {
        branch1x1 = new BasicConv2d(inChannels, 64, 1);
        branch5x5_1 = new BasicConv2d(inChannels, 48, 1);
        branch5x5_2 = new BasicConv2d(48, 64, 5, padding: 2);
        branch3x3dbl_1 = new BasicConv2d(inChannels, 64, 1);
        branch3x3dbl_2 = new BasicConv2d(64, 96, 3, padding: 1);
        branch3x3dbl_3 = new BasicConv2d(96, 96, 3, padding: 1);
        branch_pool = new BasicConv2d(inChannels, poolFeatures, 1);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var b1 = branch1x1.forward(x);
        var b5 = branch5x5_2.forward(branch5x5_1.forward(x));
        var b3 = branch3x3dbl_3.forward(branch3x3dbl_2.forward(branch3x3dbl_1.forward(x)));
        var bp = branch_pool.forward(nn.functional.avg_pool2d(x, 3, 1, 1, false, false));
        return cat([b1, b5, b3, bp], 1).MoveToOuterDisposeScope();
    }
}
