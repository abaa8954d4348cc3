using TorchSharp.Modules;
using TsdSr.Models.Lora;
using static TorchSharp.torch;

namespace TsdSr.Models.Autoencoders;

/// <summary>
/// diffusers' <c>ResnetBlock2D</c> as used by the VAE (no time embedding, output scale 1, dropout 0):
/// <c>shortcut(x) + conv2(act(GN2(conv1(act(GN1(x))))))</c>, with a 1×1 <c>conv_shortcut</c> only when the channel count
/// changes.
/// </summary>
public sealed class ResnetBlock2D : nn.Module<Tensor, Tensor>
{
    /// <summary>GroupNorm epsilon of every VAE norm (diffusers passes 1e-6, not torch's 1e-5).</summary>
    public const double Eps = 1e-6;

    private readonly string actFn;
    private readonly GroupNorm norm1;
    private readonly LoraConv2d conv1;
    private readonly GroupNorm norm2;
    private readonly LoraConv2d conv2;
    private readonly LoraConv2d? conv_shortcut;

    // Typed access for the tiled runner (AutoencoderKL.Tiling).
    internal GroupNorm Norm1 => norm1;

    internal LoraConv2d Conv1 => conv1;

    internal GroupNorm Norm2 => norm2;

    internal LoraConv2d Conv2 => conv2;

    internal LoraConv2d? ConvShortcut => conv_shortcut;

    /// <summary>Creates the block.</summary>
    public ResnetBlock2D(long inChannels, long outChannels, long groups, string actFn)
        : base(nameof(ResnetBlock2D))
    {
        this.actFn = actFn;
        norm1 = VaeGroupNorm.Create(groups, inChannels);
        conv1 = new LoraConv2d(inChannels, outChannels, 3, padding: 1);
        norm2 = VaeGroupNorm.Create(groups, outChannels);
        conv2 = new LoraConv2d(outChannels, outChannels, 3, padding: 1);
        if (inChannels != outChannels)
        {
            conv_shortcut = new LoraConv2d(inChannels, outChannels, 1);
        }

        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();

        // Each intermediate is freed once the next exists (ActivationChain), and the residual is added in place into
        // conv2's output, which nothing else holds.
        Tensor h;
        using (var first = ActivationChain.NormActConv(norm1, actFn, conv1, input))
        {
            h = ActivationChain.NormActConv(norm2, actFn, conv2, first);
        }

        if (conv_shortcut is null)
        {
            return h.add_(input).MoveToOuterDisposeScope();
        }

        using var shortcut = conv_shortcut.call(input);
        return h.add_(shortcut).MoveToOuterDisposeScope();
    }
}
