namespace TsdSr.Core.Embeddings;

/// <summary>
/// What <see cref="PromptEmbeddingsLoader"/> accepts, checked from the file headers before any tensor is read: a
/// 778 KB compressed file may claim hundreds of megabytes, and a shape that does not fit the transformer would
/// otherwise only fail inside the first upscale.
/// </summary>
public sealed record PromptEmbeddingsLimits
{
    /// <summary>The transformer's <c>joint_attention_dim</c> (the last dimension of <c>prompt_embeds</c>), or null to accept any.</summary>
    public int? HiddenSize { get; init; }

    /// <summary>The transformer's <c>pooled_projection_dim</c> (the last dimension of <c>pooled_prompt_embeds</c>), or null to accept any.</summary>
    public int? PooledSize { get; init; }

    /// <summary>Most tokens in <c>prompt_embeds</c>. Default 4096 (SD3 uses 333: 77 CLIP + 256 T5).</summary>
    public long MaxTokens { get; init; } = 4096;

    /// <summary>Most bytes of both tensors together once read. Default 256 MiB (SD3's pair is 5.5 MB in fp32).</summary>
    public long MaxBytes { get; init; } = 256L << 20;

    /// <summary>No model to compare with; only the size bounds apply.</summary>
    public static PromptEmbeddingsLimits Default { get; } = new();
}
