using TorchSharp.Modules;
using TsdSr.Models.Lora;
using static TorchSharp.torch;

namespace TsdSr.Models.Autoencoders;

/// <summary>
/// The VAE mid-block self-attention (diffusers <c>Attention</c> with a group norm, residual connection and
/// AttnProcessor2_0): tokens = pixels, GroupNorm over channels, q/k/v/out Linear layers with bias, SDPA with the default
/// 1/√head_dim scale, output added to the input. The VAE uses a single head of dimension = channels.
/// </summary>
public sealed class VaeAttention : nn.Module<Tensor, Tensor>
{
    private readonly long heads;
    private readonly GroupNorm group_norm;
    private readonly LoraLinear to_q;
    private readonly LoraLinear to_k;
    private readonly LoraLinear to_v;
    private readonly ModuleList<LoraLinear> to_out;

    /// <summary>Creates the layer.</summary>
    /// <param name="channels">Channels = query dimension = inner dimension.</param>
    /// <param name="groups">GroupNorm groups.</param>
    /// <param name="headDim">Head dimension (diffusers' <c>attention_head_dim</c>; equal to channels in the VAE).</param>
    public VaeAttention(long channels, long groups, long headDim)
        : base(nameof(VaeAttention))
    {
        if (headDim <= 0 || channels % headDim != 0)
        {
            throw new ArgumentException($"Channels ({channels}) must be a multiple of the head dimension ({headDim}).", nameof(headDim));
        }

        heads = channels / headDim;
        group_norm = VaeGroupNorm.Create(groups, channels);
        to_q = new LoraLinear(channels, channels);
        to_k = new LoraLinear(channels, channels);
        to_v = new LoraLinear(channels, channels);
        to_out = new ModuleList<LoraLinear>(new LoraLinear(channels, channels)); // to_out.1 is Dropout(0): no parameters.
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        long b = input.shape[0], c = input.shape[1], h = input.shape[2], w = input.shape[3];
        var tokens = group_norm.call(input).view(b, c, h * w).transpose(1, 2);
        var q = SplitHeads(to_q.call(tokens), b);
        var k = SplitHeads(to_k.call(tokens), b);
        var v = SplitHeads(to_v.call(tokens), b);
        var o = nn.functional.scaled_dot_product_attention(q, k, v);
        o = o.transpose(1, 2).reshape(b, -1, c);
        o = to_out[0].call(o);
        o = o.transpose(-1, -2).reshape(b, c, h, w);
        return o.add(input).MoveToOuterDisposeScope();
    }

    private Tensor SplitHeads(Tensor x, long batch) => x.view(batch, -1, heads, x.shape[2] / heads).transpose(1, 2);
}
