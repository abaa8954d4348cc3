using static TorchSharp.torch;

namespace TsdSr.Training.Data;

/// <summary>
/// One training batch from offline pair folders (the official TSD-SR training script). Images are in [0, 1]; the optional tensors are
/// present only when every sample of the batch has them. The consumer owns and disposes it.
/// </summary>
public sealed class TrainingBatch : IDisposable
{
    /// <summary>Creates the batch; takes ownership of the tensors.</summary>
    public TrainingBatch(Tensor gt, Tensor lrBicubic, Tensor? latentHr, Tensor? promptEmbeds, Tensor? poolEmbeds, IReadOnlyList<string> ids)
    {
        Gt = gt;
        LrBicubic = lrBicubic;
        LatentHr = latentHr;
        PromptEmbeds = promptEmbeds;
        PoolEmbeds = poolEmbeds;
        Ids = ids;
    }

    /// <summary>HR images [B, 3, H, W] in [0, 1].</summary>
    public Tensor Gt { get; }

    /// <summary>Degraded LR bicubic-upsampled to the HR size, [B, 3, H, W] in [0, 1].</summary>
    public Tensor LrBicubic { get; }

    /// <summary>Precomputed HR latents [B, 16, H/8, W/8] (1.5305 · sample, unshifted), or null.</summary>
    public Tensor? LatentHr { get; }

    /// <summary>Per-image prompt embeddings [B, L, D], or null.</summary>
    public Tensor? PromptEmbeds { get; }

    /// <summary>Per-image pooled embeddings [B, P], or null.</summary>
    public Tensor? PoolEmbeds { get; }

    /// <summary>"folder#number" of each sample, for logs.</summary>
    public IReadOnlyList<string> Ids { get; }

    /// <summary>Number of samples.</summary>
    public int Count => (int)Gt.shape[0];

    /// <inheritdoc />
    public void Dispose()
    {
        Gt.Dispose();
        LrBicubic.Dispose();
        LatentHr?.Dispose();
        PromptEmbeds?.Dispose();
        PoolEmbeds?.Dispose();
    }
}
