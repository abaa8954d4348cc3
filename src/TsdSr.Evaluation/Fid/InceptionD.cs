using static TorchSharp.torch;

namespace TsdSr.Evaluation.Fid;

/// <summary>torchvision InceptionD (grid reduction 17→8).</summary>
public sealed class InceptionD : nn.Module<Tensor, Tensor>
{
    private readonly BasicConv2d branch3x3_1;
    private readonly BasicConv2d branch3x3_2;
    private readonly BasicConv2d branch7x7x3_1;
    private readonly BasicConv2d branch7x7x3_2;
    private readonly BasicConv2d branch7x7x3_3;
    private readonly BasicConv2d branch7x7x3_4;

    /// <summary>Creates the block.</summary>
    public InceptionD(long inChannels)
        : base(nameof(InceptionD))
    {
        branch3x3_1 = new BasicConv2d(inChannels, 192, 1);
        branch3x3_2 = new BasicConv2d(192, 320, 3, stride: 2);
        branch7x7x3_1 = new BasicConv2d(inChannels, 192, 1);
        branch7x7x3_2 = new BasicConv2d(192, 192, (1, 7), padding: (0, 3));
        branch7x7x3_3 = new BasicConv2d(192, 192, (7, 1), padding: (3, 0));
        branch7x7x3_4 = new BasicConv2d(192, 192, 3, stride: 2);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var b3 = branch3x3_2.forward(branch3x3_1.forward(x));
        var b7 = branch7x7x3_4.forward(branch7x7x3_3.forward(branch7x7x3_2.forward(branch7x7x3_1.forward(x))));
        var bp = nn.functional.max_pool2d(x, 3, 2);
        return cat([b3, b7, bp], 1).MoveToOuterDisposeScope();
    }
}
