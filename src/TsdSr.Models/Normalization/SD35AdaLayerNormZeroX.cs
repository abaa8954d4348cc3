using TsdSr.Models.Lora;
using static TorchSharp.torch;

namespace TsdSr.Models.Normalization;

/// <summary>
/// diffusers' <c>SD35AdaLayerNormZeroX</c> (SD3.5 MMDiT-X blocks): nine modulation vectors in the order shift_msa,
/// scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp, shift_msa2, scale_msa2, gate_msa2. The same layer norm of the
/// input feeds both the joint attention and the extra self-attention (<c>attn2</c>).
/// </summary>
public sealed class SD35AdaLayerNormZeroX : nn.Module
{
    private readonly LoraLinear linear;

    /// <summary>Creates the norm for width <paramref name="embeddingDim"/>.</summary>
    public SD35AdaLayerNormZeroX(long embeddingDim)
        : base(nameof(SD35AdaLayerNormZeroX))
    {
        EmbeddingDim = embeddingDim;
        linear = new LoraLinear(embeddingDim, 9 * embeddingDim);
        RegisterComponents();
    }

    /// <summary>The normalised width.</summary>
    public long EmbeddingDim { get; }

    /// <summary>Normalises <paramref name="x"/> [B,N,D] once and modulates it twice with <paramref name="emb"/> [B,D].</summary>
    /// <returns>Both modulated inputs and the gate/shift/scale vectors ([B,D] each) the block uses later.</returns>
    public (Tensor X, Tensor GateMsa, Tensor ShiftMlp, Tensor ScaleMlp, Tensor GateMlp, Tensor X2, Tensor GateMsa2) forward(Tensor x, Tensor emb)
    {
        using var scope = NewDisposeScope();
        var c = linear.call(nn.functional.silu(emb)).chunk(9, dim: 1);
        var normed = Modulation.LayerNorm(x);
        var x1 = Modulation.Modulate(normed, c[1], c[0]);
        var x2 = Modulation.Modulate(normed, c[7], c[6]);
        return (x1.MoveToOuterDisposeScope(), c[2].MoveToOuterDisposeScope(), c[3].MoveToOuterDisposeScope(),
            c[4].MoveToOuterDisposeScope(), c[5].MoveToOuterDisposeScope(), x2.MoveToOuterDisposeScope(),
            c[8].MoveToOuterDisposeScope());
    }
}
