using TsdSr.Models.Lora;
using static TorchSharp.torch;

namespace TsdSr.Models.Embeddings;

/// <summary>diffusers' <c>TimestepEmbedding</c>: <c>linear_2(SiLU(linear_1(x)))</c>.</summary>
public sealed class TimestepEmbedding : nn.Module<Tensor, Tensor>
{
    private readonly LoraLinear linear_1;
    private readonly LoraLinear linear_2;

    /// <summary>Creates the MLP.</summary>
    public TimestepEmbedding(long inChannels, long timeEmbedDim)
        : base(nameof(TimestepEmbedding))
    {
        linear_1 = new LoraLinear(inChannels, timeEmbedDim);
        linear_2 = new LoraLinear(timeEmbedDim, timeEmbedDim);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor sample)
    {
        using var scope = NewDisposeScope();
        return linear_2.call(nn.functional.silu(linear_1.call(sample))).MoveToOuterDisposeScope();
    }
}
