using TorchSharp.Modules;
using TsdSr.Models.Lora;
using TsdSr.Models.Normalization;
using static TorchSharp.torch;

namespace TsdSr.Models.Attention;

/// <summary>
/// diffusers' <c>Attention</c> module run by <c>JointAttnProcessor2_0</c>, as the SD3 blocks build it. With context
/// projections (<c>attn</c>) it is MMDiT joint attention: image and context queries/keys/values are concatenated
/// along the sequence as <b>[image, context]</b>, attended together with SDPA (scale 1/√head_dim) and split again.
/// Without them (<c>attn2</c> of SD3.5's MMDiT-X blocks) it is plain self-attention over the image tokens.
/// </summary>
public sealed class JointAttention : nn.Module
{
    private readonly LoraLinear to_q;
    private readonly LoraLinear to_k;
    private readonly LoraLinear to_v;
    private readonly RMSNorm? norm_q;
    private readonly RMSNorm? norm_k;
    private readonly LoraLinear? add_q_proj;
    private readonly LoraLinear? add_k_proj;
    private readonly LoraLinear? add_v_proj;
    private readonly RMSNorm? norm_added_q;
    private readonly RMSNorm? norm_added_k;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> to_out;
    private readonly LoraLinear? to_add_out;

    /// <summary>Creates the attention.</summary>
    /// <param name="dim">Token width (query dim = inner dim = output dim in SD3).</param>
    /// <param name="heads">Number of heads; <paramref name="dim"/> / heads is the head dim.</param>
    /// <param name="headDim">Head dim; heads × headDim must equal <paramref name="dim"/>.</param>
    /// <param name="withContext">Adds the context projections add_q/k/v_proj (joint attention).</param>
    /// <param name="contextPreOnly">The last block: no <c>to_add_out</c>, the context output is discarded.</param>
    /// <param name="rmsQkNorm">SD3.5: RMSNorm (eps 1e-6) over the head dim on queries and keys.</param>
    public JointAttention(long dim, long heads, long headDim, bool withContext, bool contextPreOnly, bool rmsQkNorm)
        : base(nameof(JointAttention))
    {
        if (heads * headDim != dim)
        {
            throw new ArgumentException($"heads × head_dim ({heads} × {headDim}) must equal the width {dim}.");
        }

        Heads = heads;
        HeadDim = headDim;
        HasContext = withContext;
        ContextPreOnly = contextPreOnly;
        to_q = new LoraLinear(dim, dim);
        to_k = new LoraLinear(dim, dim);
        to_v = new LoraLinear(dim, dim);
        if (rmsQkNorm)
        {
            norm_q = new RMSNorm(headDim);
            norm_k = new RMSNorm(headDim);
        }

        if (withContext)
        {
            add_q_proj = new LoraLinear(dim, dim);
            add_k_proj = new LoraLinear(dim, dim);
            add_v_proj = new LoraLinear(dim, dim);
            if (rmsQkNorm)
            {
                norm_added_q = new RMSNorm(headDim);
                norm_added_k = new RMSNorm(headDim);
            }

            if (!contextPreOnly)
            {
                to_add_out = new LoraLinear(dim, dim);
            }
        }

        to_out = new ModuleList<nn.Module<Tensor, Tensor>>(new LoraLinear(dim, dim), nn.Dropout(0.0));
        RegisterComponents();
    }

    /// <summary>Number of heads.</summary>
    public long Heads { get; }

    /// <summary>Width of one head.</summary>
    public long HeadDim { get; }

    /// <summary>True for joint attention (context projections present).</summary>
    public bool HasContext { get; }

    /// <summary>True when the context output is not projected (last block).</summary>
    public bool ContextPreOnly { get; }

    /// <summary>
    /// Attends image tokens <paramref name="hiddenStates"/> [B,N,D] (and context tokens
    /// <paramref name="encoderHiddenStates"/> [B,L,D] for joint attention).
    /// </summary>
    /// <returns>
    /// The image output [B,N,D] and the context output [B,L,D]; the latter is null without context or in a
    /// context-pre-only block.
    /// </returns>
    public (Tensor HiddenStates, Tensor? EncoderHiddenStates) forward(Tensor hiddenStates, Tensor? encoderHiddenStates = null)
    {
        if (HasContext != (encoderHiddenStates is not null))
        {
            throw new ArgumentException(HasContext
                ? "Joint attention needs encoder hidden states."
                : "This attention has no context projections; pass no encoder hidden states.", nameof(encoderHiddenStates));
        }

        using var scope = NewDisposeScope();
        var batch = hiddenStates.shape[0];
        var imageTokens = hiddenStates.shape[1];
        var q = Heads_(to_q.call(hiddenStates), norm_q);
        var k = Heads_(to_k.call(hiddenStates), norm_k);
        var v = Heads_(to_v.call(hiddenStates), null);
        if (encoderHiddenStates is not null)
        {
            var qc = Heads_(add_q_proj!.call(encoderHiddenStates), norm_added_q);
            var kc = Heads_(add_k_proj!.call(encoderHiddenStates), norm_added_k);
            var vc = Heads_(add_v_proj!.call(encoderHiddenStates), null);
            q = cat(new[] { q, qc }, dim: 2);
            k = cat(new[] { k, kc }, dim: 2);
            v = cat(new[] { v, vc }, dim: 2);
        }

        var o = nn.functional.scaled_dot_product_attention(q, k, v);
        o = o.transpose(1, 2).reshape(batch, -1, Heads * HeadDim).to(q.dtype);
        Tensor? context = null;
        if (encoderHiddenStates is not null)
        {
            var split = o.split(new[] { imageTokens, o.shape[1] - imageTokens }, dim: 1);
            o = split[0];
            context = to_add_out?.call(split[1]);
        }

        var image = to_out[0].call(o);
        return (image.MoveToOuterDisposeScope(), context?.MoveToOuterDisposeScope());
    }

    /// <summary>[B,S,D] → [B,heads,S,head_dim], then the optional qk-norm (applied after the head split).</summary>
    private Tensor Heads_(Tensor x, RMSNorm? norm)
    {
        var h = x.view(x.shape[0], -1, Heads, HeadDim).transpose(1, 2);
        return norm is null ? h : norm.call(h);
    }
}
