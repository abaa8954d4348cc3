namespace TsdSr.Losses.Reconstruction;

/// <summary>The reconstruction loss and its terms (for logging). Owns its tensors.</summary>
public sealed class ReconstructionLossResult : IDisposable
{
    internal ReconstructionLossResult(Tensor total, Tensor latentMse, Tensor? perceptual)
    {
        Total = total;
        LatentMse = latentMse;
        Perceptual = perceptual;
    }

    /// <summary>w_mse·MSE + w_p·perceptual, scalar fp32, attached to the graph.</summary>
    public Tensor Total { get; }

    /// <summary>MSE_mean(ẑ, z_H) in fp32 (unweighted).</summary>
    public Tensor LatentMse { get; }

    /// <summary>The mean perceptual distance (unweighted), or null when its weight is 0 or no model was given.</summary>
    public Tensor? Perceptual { get; }

    /// <summary>Disposes the tensors.</summary>
    public void Dispose()
    {
        Total.Dispose();
        LatentMse.Dispose();
        Perceptual?.Dispose();
    }
}
