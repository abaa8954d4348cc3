using TorchSharp;
using TsdSr.Core.Embeddings;

namespace TsdSr.Data.Datasets;

/// <summary>A training batch. The consumer owns it and must dispose it.</summary>
public sealed class PairBatch : IDisposable
{
    /// <summary>Creates the batch; takes ownership of the tensors and embeddings.</summary>
    public PairBatch(torch.Tensor lr, torch.Tensor lrUpsampled, torch.Tensor hr, IReadOnlyList<PromptEmbeddings?> prompts, IReadOnlyList<string> sourceFiles, long firstIndex)
    {
        Lr = lr;
        LrUpsampled = lrUpsampled;
        Hr = hr;
        Prompts = prompts;
        SourceFiles = sourceFiles;
        FirstIndex = firstIndex;
    }

    /// <summary>Degraded LR [B, 3, S/scale, S/scale] in [0, 1].</summary>
    public torch.Tensor Lr { get; }

    /// <summary>LR bicubic-upsampled to [B, 3, S, S] (what the TSD-SR reference feeds the model).</summary>
    public torch.Tensor LrUpsampled { get; }

    /// <summary>HR crops [B, 3, S, S] in [0, 1].</summary>
    public torch.Tensor Hr { get; }

    /// <summary>Per-sample prompt embeddings, null where the image has none (use the default prompt).</summary>
    public IReadOnlyList<PromptEmbeddings?> Prompts { get; }

    /// <summary>The HR file of each sample.</summary>
    public IReadOnlyList<string> SourceFiles { get; }

    /// <summary>Global index of the first sample (the degradation seed stream).</summary>
    public long FirstIndex { get; }

    /// <summary>
    /// The dataset position right after this batch: a stream started there (<see cref="DegradedPairDataset.GetBatchesAsync(DatasetPosition, CancellationToken)"/>)
    /// continues with the batch that follows this one. The start of a stream when the batch was not made by a dataset.
    /// </summary>
    public DatasetPosition NextPosition { get; init; }

    /// <summary>Number of samples.</summary>
    public int Count => (int)Hr.shape[0];

    /// <inheritdoc />
    public void Dispose()
    {
        Lr.Dispose();
        LrUpsampled.Dispose();
        Hr.Dispose();
        foreach (var p in Prompts)
        {
            p?.Dispose();
        }
    }
}
