using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TsdSr.Models.Autoencoders;

/// <summary>diffusers' <c>UNetMidBlock2D</c> as used by the VAE: <c>resnets.0</c> → <c>attentions.0</c> (optional) → <c>resnets.1</c>.</summary>
public sealed class UNetMidBlock2D : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<ResnetBlock2D> resnets;
    private readonly ModuleList<VaeAttention>? attentions;

    // Typed access for the tiled runner (AutoencoderKL.Tiling).
    internal ModuleList<ResnetBlock2D> Resnets => resnets;

    internal VaeAttention? Attention => attentions?[0];

    /// <summary>Creates the block.</summary>
    /// <param name="channels">Channels in and out.</param>
    /// <param name="groups">GroupNorm groups.</param>
    /// <param name="actFn">Activation name.</param>
    /// <param name="addAttention">Whether to include the self-attention (<c>mid_block_add_attention</c>).</param>
    public UNetMidBlock2D(long channels, long groups, string actFn, bool addAttention)
        : base(nameof(UNetMidBlock2D))
    {
        resnets = new ModuleList<ResnetBlock2D>(
            new ResnetBlock2D(channels, channels, groups, actFn),
            new ResnetBlock2D(channels, channels, groups, actFn));
        if (addAttention)
        {
            attentions = new ModuleList<VaeAttention>(new VaeAttention(channels, groups, headDim: channels));
        }

        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var h = resnets[0].call(input);
        if (attentions is not null)
        {
            h = ActivationChain.Advance(h, attentions[0].call(h), input);
        }

        return ActivationChain.Advance(h, resnets[1].call(h), input).MoveToOuterDisposeScope();
    }
}
