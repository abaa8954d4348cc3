using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TsdSr.Models.Normalization;

/// <summary>
/// diffusers' <c>RMSNorm</c> with an affine scale: <c>x·rsqrt(mean(x²) + eps)·weight</c> over the last dimension.
/// The variance is always computed in fp32; the result is cast to the weight dtype only when that is half precision,
/// exactly as diffusers does (SD3.5 qk-norm).
/// </summary>
public sealed class RMSNorm : nn.Module<Tensor, Tensor>
{
    private Parameter weight;

    /// <summary>Creates the norm with a unit scale.</summary>
    /// <param name="dim">Size of the normalised last dimension.</param>
    /// <param name="eps">Added to the mean square (1e-6 in SD3.5).</param>
    public RMSNorm(long dim, double eps = 1e-6)
        : base(nameof(RMSNorm))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dim);
        Eps = eps;
        weight = new Parameter(ones(dim, ModelConstruction.DType, ModelConstruction.Device));
        RegisterComponents();
    }

    /// <summary>The epsilon added to the mean square.</summary>
    public double Eps { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var variance = input.to(ScalarType.Float32).pow(2).mean(new long[] { -1 }, keepdim: true);
        var x = input * torch.rsqrt(variance + Eps);
        if (weight.dtype is ScalarType.Float16 or ScalarType.BFloat16)
        {
            x = x.to(weight.dtype);
        }

        return (x * weight).MoveToOuterDisposeScope();
    }
}
