namespace TsdSr.Losses.Reconstruction;

/// <summary>Weights of the data (reconstruction) loss, Eq. 7; reference: 1·LPIPS + 1·latent MSE.</summary>
public sealed record ReconstructionLossOptions
{
    /// <summary>The reference: both weights 1.</summary>
    public static ReconstructionLossOptions Reference { get; } = new();

    /// <summary>Weight of MSE_mean(ẑ, z_H) in latent space (scaled, unshifted latents).</summary>
    public double LatentMseWeight { get; init; } = 1.0;

    /// <summary>Weight of the perceptual term in pixel space.</summary>
    public double PerceptualWeight { get; init; } = 1.0;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A weight is negative or not finite, or both are zero.</exception>
    public void Validate()
    {
        if (!(LatentMseWeight >= 0) || !double.IsFinite(LatentMseWeight))
        {
            throw new ArgumentException($"LatentMseWeight must be finite and ≥ 0, got {LatentMseWeight}.", nameof(LatentMseWeight));
        }

        if (!(PerceptualWeight >= 0) || !double.IsFinite(PerceptualWeight))
        {
            throw new ArgumentException($"PerceptualWeight must be finite and ≥ 0, got {PerceptualWeight}.", nameof(PerceptualWeight));
        }

        if (LatentMseWeight == 0 && PerceptualWeight == 0)
        {
            throw new ArgumentException("At least one reconstruction weight must be positive.", nameof(LatentMseWeight));
        }
    }
}
