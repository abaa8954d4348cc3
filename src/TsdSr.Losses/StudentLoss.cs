namespace TsdSr.Losses;

/// <summary>The student (generator) objective of Algorithm 1: L = L_rec + γ·L_tsd.</summary>
public static class StudentLoss
{
    /// <summary>Combines the reconstruction and distillation losses.</summary>
    /// <param name="reconstruction">L_rec (scalar).</param>
    /// <param name="distillation">L_tsd (scalar), or null when the distillation term is off (first stage of the two-stage recipe).</param>
    /// <param name="gamma">γ (e.g. <see cref="GammaSchedule.At"/>).</param>
    /// <returns>A new scalar tensor the caller owns.</returns>
    /// <exception cref="ArgumentException">γ is negative or not finite.</exception>
    public static Tensor Combine(Tensor reconstruction, Tensor? distillation, double gamma)
    {
        ArgumentNullException.ThrowIfNull(reconstruction);
        if (!double.IsFinite(gamma) || gamma < 0)
        {
            throw new ArgumentException($"γ must be finite and ≥ 0, got {gamma}.", nameof(gamma));
        }

        if (distillation is null || gamma == 0)
        {
            return reconstruction.alias();
        }

        using var scope = NewDisposeScope();
        return reconstruction.add(distillation.mul(gamma)).MoveToOuterDisposeScope();
    }
}
