using TsdSr.Models.Lora;
using static TorchSharp.torch;

namespace TsdSr.Models.Embeddings;

/// <summary>diffusers' <c>PixArtAlphaTextProjection</c> with SiLU, the pooled-text MLP: <c>linear_2(SiLU(linear_1(x)))</c>.</summary>
public sealed class PixArtAlphaTextProjection : nn.Module<Tensor, Tensor>
{
    private readonly LoraLinear linear_1;
    private readonly LoraLinear linear_2;

    /// <summary>Creates the MLP.</summary>
    public PixArtAlphaTextProjection(long inFeatures, long hiddenSize)
        : base(nameof(PixArtAlphaTextProjection))
    {
        linear_1 = new LoraLinear(inFeatures, hiddenSize);
        linear_2 = new LoraLinear(hiddenSize, hiddenSize);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor caption)
    {
        using var scope = NewDisposeScope();
        return linear_2.call(nn.functional.silu(linear_1.call(caption))).MoveToOuterDisposeScope();
    }
}
