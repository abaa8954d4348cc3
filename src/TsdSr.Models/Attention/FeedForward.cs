using TorchSharp.Modules;
using TsdSr.Models.Lora;
using static TorchSharp.torch;

namespace TsdSr.Models.Attention;

/// <summary>
/// diffusers' <c>FeedForward</c> with <c>activation_fn="gelu-approximate"</c>: <c>net = [GELU(proj D→4D), Dropout,
/// Linear 4D→D]</c>, giving the keys <c>net.0.proj.*</c> and <c>net.2.*</c>.
/// </summary>
public sealed class FeedForward : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> net;

    /// <summary>Creates the MLP.</summary>
    /// <param name="dim">Input and output width.</param>
    /// <param name="mult">Hidden width multiplier (4 in SD3).</param>
    public FeedForward(long dim, long mult = 4)
        : base(nameof(FeedForward))
    {
        net = new ModuleList<nn.Module<Tensor, Tensor>>(new GeluProjection(dim, dim * mult), nn.Dropout(0.0), new LoraLinear(dim * mult, dim));
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        // net.1 is a p = 0 dropout: skipped.
        return net[2].call(net[0].call(input)).MoveToOuterDisposeScope();
    }
}
