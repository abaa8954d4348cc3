using static TorchSharp.torch;

namespace TsdSr.Evaluation.Fid;

/// <summary>pytorch-fid's FIDInceptionC: torchvision InceptionC with an average pool that ignores padding.</summary>
public sealed class FidInceptionC : nn.Module<Tensor, Tensor>
{
    private readonly BasicConv2d branch1x1;
    private readonly BasicConv2d branch7x7_1;
    private readonly BasicConv2d branch7x7_2;
    private readonly BasicConv2d branch7x7_3;
    private readonly BasicConv2d branch7x7dbl_1;
    private readonly BasicConv2d branch7x7dbl_2;
    private readonly BasicConv2d branch7x7dbl_3;
    private readonly BasicConv2d branch7x7dbl_4;
    private readonly BasicConv2d branch7x7dbl_5;
    private readonly BasicConv2d branch_pool;

    /// <summary>Creates the block.</summary>
    public FidInceptionC(long inChannels, long channels7x7)
        : base(nameof(FidInceptionC))
    {
        long c7 = channels7x7;
        branch1x1 = new BasicConv2d(inChannels, 192, 1);
        branch7x7_1 = new BasicConv2d(inChannels, c7, 1);
        branch7x7_2 = new BasicConv2d(c7, c7, (1, 7), padding: (0, 3));
        branch7x7_3 = new BasicConv2d(c7, 192, (7, 1), padding: (3, 0));
        branch7x7dbl_1 = new BasicConv2d(inChannels, c7, 1);
        branch7x7dbl_2 = new BasicConv2d(c7, c7, (7, 1), padding: (3, 0));
        branch7x7dbl_3 = new BasicConv2d(c7, c7, (1, 7), padding: (0, 3));
        branch7x7dbl_4 = new BasicConv2d(c7, c7, (7, 1), padding: (3, 0));
        branch7x7dbl_5 = new BasicConv2d(c7, 192, (1, 7), padding: (0, 3));
        branch_pool = new BasicConv2d(inChannels, 192, 1);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var b1 = branch1x1.forward(x);
        var b7 = branch7x7_3.forward(branch7x7_2.forward(branch7x7_1.forward(x)));
        var bd = branch7x7dbl_5.forward(branch7x7dbl_4.forward(branch7x7dbl_3.forward(branch7x7dbl_2.forward(branch7x7dbl_1.forward(x)))));
        var bp = branch_pool.forward(nn.functional.avg_pool2d(x, 3, 1, 1, false, false));
        return cat([b1, b7, bd, bp], 1).MoveToOuterDisposeScope();
    }
}
