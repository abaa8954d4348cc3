using TsdSr.Imaging;

namespace TsdSr.Data.Datasets;

/// <summary>Options of <see cref="DegradedPairDataset"/>.</summary>
public sealed record PairDatasetOptions
{
    /// <summary>Samples per batch (default 4).</summary>
    public int BatchSize { get; init; } = 4;

    /// <summary>Crop settings.</summary>
    public CropOptions Crop { get; init; } = new();

    /// <summary>Seed of the image order, crops, flips and degradations.</summary>
    public ulong Seed { get; init; }

    /// <summary>Shuffle the images each epoch (default true).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Number of passes over the images; null runs until cancelled (default).</summary>
    public int? Epochs { get; init; }

    /// <summary>
    /// Optional folder of per-image embeddings: <c>&lt;relative path without extension&gt;.safetensors</c> holding
    /// <c>prompt_embeds</c> and <c>pool_embeds</c> (or <c>pooled_prompt_embeds</c>), read by
    /// <c>PromptEmbeddingsLoader.LoadSample</c>. Images without a file get null (the default prompt).
    /// </summary>
    public string? PromptEmbeddingsDirectory { get; init; }

    /// <summary>
    /// False: batches carry the HR crops only (no degradation; <see cref="PairBatch.Lr"/> and
    /// <see cref="PairBatch.LrUpsampled"/> are the HR crop itself), for training stages that never look at an LR image.
    /// Default true.
    /// </summary>
    public bool Degrade { get; init; } = true;

    /// <summary>
    /// Decoded images kept in memory, up to this many bytes of pixels (8 bits per channel), so that each image is decoded
    /// once rather than once per crop. Decoding is deterministic, so the cache never changes a batch. Default 0 (none).
    /// </summary>
    public long DecodedImageCacheBytes { get; init; }

    /// <summary>Decoding limits.</summary>
    public ImageLoadOptions LoadOptions { get; init; } = ImageLoadOptions.Default;
}
