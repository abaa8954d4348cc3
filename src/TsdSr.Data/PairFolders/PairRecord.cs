using TorchSharp;

namespace TsdSr.Data.PairFolders;

/// <summary>One stored pair and its optional tensors. The caller owns and disposes it.</summary>
public sealed class PairRecord : IDisposable
{
    /// <summary>Creates the record; takes ownership of the tensors.</summary>
    public PairRecord(long index, torch.Tensor gt, torch.Tensor lrBicubic, torch.Tensor? lr, torch.Tensor? latentHr, torch.Tensor? promptEmbeds, torch.Tensor? poolEmbeds)
    {
        Index = index;
        Gt = gt;
        LrBicubic = lrBicubic;
        Lr = lr;
        LatentHr = latentHr;
        PromptEmbeds = promptEmbeds;
        PoolEmbeds = poolEmbeds;
    }

    /// <summary>The file number.</summary>
    public long Index { get; }

    /// <summary>HR [1, 3, H, W] in [0, 1].</summary>
    public torch.Tensor Gt { get; }

    /// <summary>LR upsampled to [1, 3, H, W] in [0, 1].</summary>
    public torch.Tensor LrBicubic { get; }

    /// <summary>LR [1, 3, h, w] when stored.</summary>
    public torch.Tensor? Lr { get; }

    /// <summary>HR latent when stored.</summary>
    public torch.Tensor? LatentHr { get; }

    /// <summary>Prompt embeddings when stored.</summary>
    public torch.Tensor? PromptEmbeds { get; }

    /// <summary>Pooled embeddings when stored.</summary>
    public torch.Tensor? PoolEmbeds { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Gt.Dispose();
        LrBicubic.Dispose();
        Lr?.Dispose();
        LatentHr?.Dispose();
        PromptEmbeds?.Dispose();
        PoolEmbeds?.Dispose();
    }
}
