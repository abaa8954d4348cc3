namespace TsdSr.Losses.Distillation;

/// <summary>Evaluates a <see cref="ScoreWeighting"/>.</summary>
public static class ScoreWeightingFunction
{
    /// <summary>w(σ) for a tensor of sigmas (any shape).</summary>
    /// <returns>A new tensor the caller owns, same shape and dtype as <paramref name="sigma"/>.</returns>
    /// <exception cref="ArgumentException">Unknown weighting.</exception>
    public static Tensor Evaluate(ScoreWeighting weighting, Tensor sigma)
    {
        ArgumentNullException.ThrowIfNull(sigma);
        return weighting switch
        {
            ScoreWeighting.SigmaSquared => sigma.square(),
            ScoreWeighting.None => ones_like(sigma),
            _ => throw new ArgumentException($"Unknown score weighting {weighting}.", nameof(weighting)),
        };
    }

    /// <summary>w(σ) for one sigma.</summary>
    /// <exception cref="ArgumentException">Unknown weighting.</exception>
    public static double Evaluate(ScoreWeighting weighting, double sigma) => weighting switch
    {
        ScoreWeighting.SigmaSquared => sigma * sigma,
        ScoreWeighting.None => 1.0,
        _ => throw new ArgumentException($"Unknown score weighting {weighting}.", nameof(weighting)),
    };
}
