using TorchSharp;
using static TorchSharp.torch;

namespace TsdSr.Evaluation.Dists;

/// <summary>
/// DISTS' replacement for VGG max-pooling: <c>sqrt(hann3x3 ∗ x² + 1e-12)</c>, depthwise, stride 2, padding 1; the
/// 3×3 Hann window is <c>[[1,2,1],[2,4,2],[1,2,1]] / 16</c> (outer product of <c>hanning(5)[1:-1]</c>, normalised).
/// </summary>
public sealed class L2Pooling : nn.Module<Tensor, Tensor>
{
    private readonly Tensor filter;

    /// <summary>Creates the pooling for <paramref name="channels"/> channels.</summary>
    public L2Pooling(long channels)
        : base(nameof(L2Pooling))
    {
        using var g = tensor(new float[] { 1, 2, 1, 2, 4, 2, 1, 2, 1 }, [1, 1, 3, 3]);
        filter = (g / 16f).repeat(channels, 1, 1, 1);
        Channels = channels;
        RegisterComponents();
    }

    /// <summary>Number of channels (depthwise groups).</summary>
    public long Channels { get; }

    /// <summary>Pools a [N,C,H,W] tensor to [N,C,⌈H/2⌉,⌈W/2⌉].</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var o = nn.functional.conv2d(input.square(), filter, strides: [2, 2], padding: [1, 1], groups: Channels);
        return (o + 1e-12).sqrt().MoveToOuterDisposeScope();
    }
}
