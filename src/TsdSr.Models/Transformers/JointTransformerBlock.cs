using TsdSr.Models.Attention;
using TsdSr.Models.Normalization;
using static TorchSharp.torch;

namespace TsdSr.Models.Transformers;

/// <summary>
/// diffusers' <c>JointTransformerBlock</c> (one MMDiT block): adaLN-Zero modulation of the image and context streams,
/// joint attention, gated residuals and a GELU-tanh MLP per stream. Variants: SD3.5's MMDiT-X block adds a second,
/// image-only self-attention (<c>attn2</c>, 9-way modulation); the last block is <c>context_pre_only</c> (the
/// context is only read: AdaLayerNormContinuous context norm, no <c>to_add_out</c> / <c>ff_context</c>).
/// </summary>
public sealed class JointTransformerBlock : nn.Module
{
    private readonly nn.Module norm1; // AdaLayerNormZero, or SD35AdaLayerNormZeroX in an MMDiT-X block
    private readonly nn.Module norm1_context; // AdaLayerNormZero, or AdaLayerNormContinuous in the last block
    private readonly JointAttention attn;
    private readonly JointAttention? attn2;
    private readonly FeedForward ff;
    private readonly FeedForward? ff_context;

    /// <summary>Creates the block.</summary>
    /// <param name="dim">Token width D.</param>
    /// <param name="numAttentionHeads">Heads.</param>
    /// <param name="attentionHeadDim">Head dim (heads × head dim = D).</param>
    /// <param name="contextPreOnly">True for the last block.</param>
    /// <param name="rmsQkNorm">SD3.5 qk RMSNorm.</param>
    /// <param name="useDualAttention">SD3.5 MMDiT-X block (extra <c>attn2</c>).</param>
    public JointTransformerBlock(long dim, long numAttentionHeads, long attentionHeadDim, bool contextPreOnly, bool rmsQkNorm, bool useDualAttention)
        : base(nameof(JointTransformerBlock))
    {
        ContextPreOnly = contextPreOnly;
        UseDualAttention = useDualAttention;
        norm1 = useDualAttention ? new SD35AdaLayerNormZeroX(dim) : new AdaLayerNormZero(dim);
        norm1_context = contextPreOnly ? new AdaLayerNormContinuous(dim, dim) : new AdaLayerNormZero(dim);

        attn = new JointAttention(dim, numAttentionHeads, attentionHeadDim, withContext: true, contextPreOnly, rmsQkNorm);
        if (useDualAttention)
        {
            attn2 = new JointAttention(dim, numAttentionHeads, attentionHeadDim, withContext: false, contextPreOnly: false, rmsQkNorm);
        }

        ff = new FeedForward(dim);
        if (!contextPreOnly)
        {
            ff_context = new FeedForward(dim);
        }

        RegisterComponents();
    }

    /// <summary>True for the last block (context output discarded).</summary>
    public bool ContextPreOnly { get; }

    /// <summary>True for an MMDiT-X block with the extra self-attention.</summary>
    public bool UseDualAttention { get; }

    /// <summary>Runs the block on image tokens [B,N,D] and context tokens [B,L,D] with conditioning temb [B,D].</summary>
    /// <returns>The new context tokens (null for a context-pre-only block) and the new image tokens, diffusers' order.</returns>
    public (Tensor? EncoderHiddenStates, Tensor HiddenStates) forward(Tensor hiddenStates, Tensor encoderHiddenStates, Tensor temb)
    {
        using var scope = NewDisposeScope();
        Tensor normX, gateMsa, shiftMlp, scaleMlp, gateMlp;
        Tensor? normX2 = null, gateMsa2 = null;
        if (norm1 is SD35AdaLayerNormZeroX normZeroX)
        {
            (normX, gateMsa, shiftMlp, scaleMlp, gateMlp, normX2, gateMsa2) = normZeroX.forward(hiddenStates, temb);
        }
        else
        {
            (normX, gateMsa, shiftMlp, scaleMlp, gateMlp) = ((AdaLayerNormZero)norm1).forward(hiddenStates, temb);
        }

        Tensor normC;
        Tensor? cGateMsa = null, cShiftMlp = null, cScaleMlp = null, cGateMlp = null;
        if (norm1_context is AdaLayerNormZero contextNormZero)
        {
            (normC, cGateMsa, cShiftMlp, cScaleMlp, cGateMlp) = contextNormZero.forward(encoderHiddenStates, temb);
        }
        else
        {
            normC = ((AdaLayerNormContinuous)norm1_context).forward(encoderHiddenStates, temb);
        }

        var (attnOut, contextAttnOut) = attn.forward(normX, normC);
        var x = hiddenStates + gateMsa.unsqueeze(1) * attnOut;
        if (attn2 is not null)
        {
            var (attnOut2, _) = attn2.forward(normX2!);
            x = x + gateMsa2!.unsqueeze(1) * attnOut2;
        }

        var mlpIn = Modulation.Modulate(Modulation.LayerNorm(x), scaleMlp, shiftMlp);
        x = x + gateMlp.unsqueeze(1) * ff.call(mlpIn);

        Tensor? c = null;
        if (!ContextPreOnly)
        {
            c = encoderHiddenStates + cGateMsa!.unsqueeze(1) * contextAttnOut!;
            var cMlpIn = Modulation.Modulate(Modulation.LayerNorm(c), cScaleMlp!, cShiftMlp!);
            c = c + cGateMlp!.unsqueeze(1) * ff_context!.call(cMlpIn);
        }

        return (c?.MoveToOuterDisposeScope(), x.MoveToOuterDisposeScope());
    }
}
