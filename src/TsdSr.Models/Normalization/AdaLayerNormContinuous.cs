using TsdSr.Models.Lora;
using static TorchSharp.torch;

namespace TsdSr.Models.Normalization;

/// <summary>
/// diffusers' <c>AdaLayerNormContinuous</c> with a layer norm (eps 1e-6, no affine): <c>linear(SiLU(cond))</c> is
/// chunked as <b>(scale, shift)</b>, in that order, unlike AdaLayerNormZero. Used for <c>norm_out</c> and for the
/// context norm of the last (context_pre_only) block.
/// </summary>
public sealed class AdaLayerNormContinuous : nn.Module
{
    private readonly LoraLinear linear;

    /// <summary>Creates the norm.</summary>
    /// <param name="embeddingDim">Width of the normalised input.</param>
    /// <param name="conditioningEmbeddingDim">Width of the conditioning vector.</param>
    public AdaLayerNormContinuous(long embeddingDim, long conditioningEmbeddingDim)
        : base(nameof(AdaLayerNormContinuous))
    {
        EmbeddingDim = embeddingDim;
        linear = new LoraLinear(conditioningEmbeddingDim, 2 * embeddingDim);
        RegisterComponents();
    }

    /// <summary>The normalised width.</summary>
    public long EmbeddingDim { get; }

    /// <summary>Normalises <paramref name="x"/> [B,N,D] and modulates it with <paramref name="conditioning"/> [B,Dc].</summary>
    public Tensor forward(Tensor x, Tensor conditioning)
    {
        using var scope = NewDisposeScope();
        // diffusers casts SiLU(cond) to x's dtype before the projection.
        var emb = linear.call(nn.functional.silu(conditioning).to(x.dtype));
        var chunks = emb.chunk(2, dim: 1);
        return Modulation.Modulate(Modulation.LayerNorm(x), chunks[0], chunks[1]).MoveToOuterDisposeScope();
    }
}
