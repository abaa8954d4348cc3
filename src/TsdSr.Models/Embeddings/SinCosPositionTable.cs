using static TorchSharp.torch;

namespace TsdSr.Models.Embeddings;

/// <summary>
/// diffusers' <c>get_2d_sincos_pos_embed</c>: the fixed 2-D sine-cosine table that <see cref="PatchEmbed"/> stores as
/// its <c>pos_embed</c> buffer. Checkpoints carry the table, so this is only needed for randomly initialised models.
/// </summary>
public static class SinCosPositionTable
{
    /// <summary>
    /// Builds the [1, M·M, D] table for an M×M grid: the first D/2 channels encode the column (x), the last D/2 the row
    /// (y); each half is [sin(pos·ω), cos(pos·ω)] with ω_i = 10000^(−i/(D/4)) in float64, positions
    /// <c>arange(M) / (M / baseSize) / interpolationScale</c> in float32, as diffusers computes them.
    /// </summary>
    /// <param name="embedDim">D, divisible by 4.</param>
    /// <param name="gridSize">M, the table side.</param>
    /// <param name="baseSize">The grid side the positions are normalised to (sample_size / patch_size).</param>
    /// <param name="interpolationScale">Extra position divisor (1 for SD3).</param>
    /// <returns>A new float32 CPU tensor.</returns>
    public static Tensor Create(long embedDim, long gridSize, double baseSize, double interpolationScale = 1.0)
    {
        if (embedDim <= 0 || embedDim % 4 != 0)
        {
            throw new ArgumentException($"The embedding dimension must be a positive multiple of 4, got {embedDim}.", nameof(embedDim));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gridSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(baseSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(interpolationScale);

        using var scope = NewDisposeScope();
        var quarter = embedDim / 4;
        var positions = arange(gridSize, dtype: ScalarType.Float32) / (gridSize / baseSize) / interpolationScale;
        var omega = 1.0 / pow(10000.0, arange(quarter, dtype: ScalarType.Float64) / (double)quarter);
        var angles = outer(positions.to(ScalarType.Float64), omega);
        var oneD = cat(new[] { sin(angles), cos(angles) }, dim: 1).to(ScalarType.Float32); // [M, D/2]
        var half = embedDim / 2;
        var columns = oneD.unsqueeze(0).expand(gridSize, gridSize, half); // [y, x, :] = emb(x)
        var rows = oneD.unsqueeze(1).expand(gridSize, gridSize, half); // [y, x, :] = emb(y)
        return cat(new[] { columns, rows }, dim: 2).reshape(1, gridSize * gridSize, embedDim).MoveToOuterDisposeScope();
    }
}
