using static TorchSharp.torch;

namespace TsdSr.Evaluation.Fid;

/// <summary>
/// pytorch-fid's FIDInceptionE_1 / FIDInceptionE_2: torchvision InceptionE whose pool branch is an average pool
/// ignoring padding (first) or a 3×3 max pool (second, as in the TensorFlow graph).
/// </summary>
public sealed class FidInceptionE : nn.Module<Tensor, Tensor>
{
    private readonly BasicConv2d branch1x1;
    private readonly BasicConv2d branch3x3_1;
    private readonly BasicConv2d branch3x3_2a;
    private readonly BasicConv2d branch3x3_2b;
    private readonly BasicConv2d branch3x3dbl_1;
    private readonly BasicConv2d branch3x3dbl_2;
    private readonly BasicConv2d branch3x3dbl_3a;
    private readonly BasicConv2d branch3x3dbl_3b;
    private readonly BasicConv2d branch_pool;
    private readonly bool maxPool;

    /// <summary>Creates the block; <paramref name="maxPool"/> selects the E_2 variant.</summary>
    public FidInceptionE(long inChannels, bool maxPool)
        : base(nameof(FidInceptionE))
    {
        branch1x1 = new BasicConv2d(inChannels, 320, 1);
        branch3x3_1 = new BasicConv2d(inChannels, 384, 1);
        branch3x3_2a = new BasicConv2d(384, 384, (1, 3), padding: (0, 1));
        branch3x3_2b = new BasicConv2d(384, 384, (3, 1), padding: (1, 0));
        branch3x3dbl_1 = new BasicConv2d(inChannels, 448, 1);
        branch3x3dbl_2 = new BasicConv2d(448, 384, 3, padding: 1);
        branch3x3dbl_3a = new BasicConv2d(384, 384, (1, 3), padding: (0, 1));
        branch3x3dbl_3b = new BasicConv2d(384, 384, (3, 1), padding: (1, 0));
        branch_pool = new BasicConv2d(inChannels, 192, 1);
        this.maxPool = maxPool;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var b1 = branch1x1.forward(x);
        var t = branch3x3_1.forward(x);
        var b3 = cat([branch3x3_2a.forward(t), branch3x3_2b.forward(t)], 1);
        var d = branch3x3dbl_2.forward(branch3x3dbl_1.forward(x));
        var bd = cat([branch3x3dbl_3a.forward(d), branch3x3dbl_3b.forward(d)], 1);
        var pooled = maxPool ? nn.functional.max_pool2d(x, 3, 1, 1) : nn.functional.avg_pool2d(x, 3, 1, 1, false, false);
        var bp = branch_pool.forward(pooled);
        return cat([b1, b3, bd, bp], 1).MoveToOuterDisposeScope();
    }
}
