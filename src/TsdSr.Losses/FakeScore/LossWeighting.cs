namespace TsdSr.Losses.FakeScore;

/// <summary>The per-sample weights of the fake-score loss for each <see cref="LossWeightingScheme"/>.</summary>
public static class LossWeighting
{
    /// <summary>Computes (or, for the random schemes, draws) one weight per sample.</summary>
    /// <param name="scheme">The scheme.</param>
    /// <param name="sigma">σ per sample [B].</param>
    /// <param name="options">Logit-normal and mode parameters; null = the reference.</param>
    /// <param name="generator">Random source for logit_normal / mode, or null for the global one.</param>
    /// <returns>A new fp32 tensor [B] on σ's device; the caller owns it.</returns>
    /// <exception cref="ArgumentException">Unknown scheme or σ is not 1-D.</exception>
    public static Tensor Compute(LossWeightingScheme scheme, Tensor sigma, FakeScoreLossOptions? options = null, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(sigma);
        if (sigma.dim() != 1)
        {
            throw new ArgumentException($"Sigma must be [B], got [{string.Join(", ", sigma.shape)}].", nameof(sigma));
        }

        options ??= FakeScoreLossOptions.Reference;
        long batch = sigma.shape[0];
        using var scope = NewDisposeScope();
        var s = sigma.to(ScalarType.Float32);
        Tensor w = scheme switch
        {
            LossWeightingScheme.LogitNormal =>
                randn([batch], ScalarType.Float32, generator: generator).mul(options.LogitStd).add(options.LogitMean).sigmoid().to(s.device),
            LossWeightingScheme.Mode =>
                TimestepSampler.ModeTransform(rand([batch], ScalarType.Float32, generator: generator), options.ModeScale).to(s.device),
            LossWeightingScheme.SigmaSqrt => s.pow(-2.0),
            LossWeightingScheme.CosMap => s.square().mul(2.0).sub(s.mul(2.0)).add(1.0).mul(Math.PI).reciprocal().mul(2.0),
            LossWeightingScheme.None => ones_like(s),
            _ => throw new ArgumentException($"Unknown weighting scheme {scheme}.", nameof(scheme)),
        };
        return w.MoveToOuterDisposeScope();
    }
}
