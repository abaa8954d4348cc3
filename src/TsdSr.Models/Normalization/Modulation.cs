using static TorchSharp.torch;

namespace TsdSr.Models.Normalization;

/// <summary>The layer norm and adaLN modulation shared by the SD3 norms (kept in one place so every norm agrees).</summary>
public static class Modulation
{
    /// <summary>The layer-norm epsilon used throughout the SD3 transformer (torch's default 1e-5 would be wrong).</summary>
    public const double LayerNormEps = 1e-6;

    /// <summary>Layer norm over the last dimension, eps 1e-6, without affine parameters.</summary>
    public static Tensor LayerNorm(Tensor x) =>
        nn.functional.layer_norm(x, new[] { x.shape[^1] }, null, null, LayerNormEps);

    /// <summary>
    /// <c>x·(1 + scale[:,None]) + shift[:,None]</c> for tokens <paramref name="x"/> [B,N,D] and per-sample vectors
    /// [B,D].
    /// </summary>
    public static Tensor Modulate(Tensor x, Tensor scale, Tensor shift)
    {
        using var scope = NewDisposeScope();
        return (x * (scale.unsqueeze(1) + 1) + shift.unsqueeze(1)).MoveToOuterDisposeScope();
    }
}
