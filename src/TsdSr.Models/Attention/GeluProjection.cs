using TsdSr.Models.Lora;
using static TorchSharp.torch;

namespace TsdSr.Models.Attention;

/// <summary>diffusers' <c>GELU</c> activation module: a projection followed by GELU with the tanh approximation.</summary>
public sealed class GeluProjection : nn.Module<Tensor, Tensor>
{
    private readonly LoraLinear proj;

    /// <summary>Creates the projection.</summary>
    public GeluProjection(long dimIn, long dimOut)
        : base(nameof(GeluProjection))
    {
        proj = new LoraLinear(dimIn, dimOut);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return nn.functional.gelu(proj.call(input), TorchSharp.Modules.GELU.Approximate.tanh).MoveToOuterDisposeScope();
    }
}
