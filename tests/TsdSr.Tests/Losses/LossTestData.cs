using TsdSr.Core.Embeddings;
using TsdSr.Losses.Scores;

namespace TsdSr.Tests.Losses;

/// <summary>Seeded small tensors shared by the loss tests.</summary>
internal static class LossTestData
{
    public static Tensor Randn(long seed, params long[] shape)
    {
        using var g = new Generator((ulong)seed);
        return randn(shape, float32, generator: g);
    }

    /// <summary>Conditional and null prompts [B or 1, 3, 5] / [B or 1, 6] with distinct means.</summary>
    public static (PromptEmbeddings Cond, PromptEmbeddings Null) Prompts(long batch, long promptDim = 5, long pooledDim = 6)
    {
        var cond = new PromptEmbeddings(Randn(11, batch, 3, promptDim).add(0.5), Randn(12, batch, pooledDim).add(0.25));
        var nul = new PromptEmbeddings(Randn(13, 1, 3, promptDim).sub(0.5), Randn(14, 1, pooledDim));
        return (cond, nul);
    }

    /// <summary>TSD-SR schedule σ_i = 3s/(1 + 2s), s = (1000 − i)/1000 (the official TSD-SR training script), in float64.</summary>
    public static double Sigma(long index)
    {
        double s = (1000.0 - index) / 1000.0;
        return 3 * s / (1 + (2 * s));
    }

    /// <summary>Per-sample σ as a float64 [B, 1, 1, 1] tensor.</summary>
    public static Tensor SigmaColumn(params long[] indices) =>
        tensor(indices.Select(Sigma).ToArray(), float64).reshape(indices.Length, 1, 1, 1);
}
