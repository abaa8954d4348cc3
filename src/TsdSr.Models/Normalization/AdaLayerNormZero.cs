using TsdSr.Models.Lora;
using static TorchSharp.torch;

namespace TsdSr.Models.Normalization;

/// <summary>
/// diffusers' <c>AdaLayerNormZero</c> (adaLN-Zero of a DiT block): <c>linear(SiLU(emb))</c> gives six modulation
/// vectors in the order shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp; the input is layer-normed
/// (eps 1e-6, no affine) and modulated with the first two.
/// </summary>
public sealed class AdaLayerNormZero : nn.Module
{
    private readonly LoraLinear linear;

    /// <summary>Creates the norm for width <paramref name="embeddingDim"/>.</summary>
    public AdaLayerNormZero(long embeddingDim)
        : base(nameof(AdaLayerNormZero))
    {
        EmbeddingDim = embeddingDim;
        linear = new LoraLinear(embeddingDim, 6 * embeddingDim);
        RegisterComponents();
    }

    /// <summary>The normalised width.</summary>
    public long EmbeddingDim { get; }

    /// <summary>Normalises and modulates <paramref name="x"/> [B,N,D] with <paramref name="emb"/> [B,D].</summary>
    /// <returns>The modulated input and the gate/shift/scale vectors ([B,D] each) the block uses later.</returns>
    public (Tensor X, Tensor GateMsa, Tensor ShiftMlp, Tensor ScaleMlp, Tensor GateMlp) forward(Tensor x, Tensor emb)
    {
        using var scope = NewDisposeScope();
        var chunks = linear.call(nn.functional.silu(emb)).chunk(6, dim: 1);
        var normed = Modulation.Modulate(Modulation.LayerNorm(x), chunks[1], chunks[0]);
        return (normed.MoveToOuterDisposeScope(), chunks[2].MoveToOuterDisposeScope(), chunks[3].MoveToOuterDisposeScope(),
            chunks[4].MoveToOuterDisposeScope(), chunks[5].MoveToOuterDisposeScope());
    }
}
