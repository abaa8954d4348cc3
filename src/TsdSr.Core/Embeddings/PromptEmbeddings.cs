using TorchSharp;

namespace TsdSr.Core.Embeddings;

/// <summary>
/// TSD-SR's fixed prompt conditioning: the SD3 text-encoder outputs computed once offline, so inference needs no text
/// encoders. Owns both tensors.
/// </summary>
public sealed class PromptEmbeddings : IDisposable
{
    /// <summary>Key of the sequence embeddings in the safetensors form.</summary>
    public const string PromptEmbedsKey = "prompt_embeds";

    /// <summary>Key of the pooled embeddings in the safetensors form.</summary>
    public const string PooledPromptEmbedsKey = "pooled_prompt_embeds";

    /// <summary>Takes ownership of the two tensors after checking their ranks and batch sizes.</summary>
    /// <param name="promptEmbeds">Sequence embeddings [B, L, D] (TSD-SR: [1, 333, 4096]).</param>
    /// <param name="pooledPromptEmbeds">Pooled embeddings [B, P] (TSD-SR: [1, 2048]).</param>
    /// <param name="source">Where they came from, for error messages.</param>
    /// <exception cref="ArgumentException">A rank or the batch sizes are wrong.</exception>
    public PromptEmbeddings(torch.Tensor promptEmbeds, torch.Tensor pooledPromptEmbeds, string source)
    {
        ArgumentNullException.ThrowIfNull(promptEmbeds);
        ArgumentNullException.ThrowIfNull(pooledPromptEmbeds);
        Validate(promptEmbeds, pooledPromptEmbeds, source);
        PromptEmbeds = promptEmbeds;
        PooledPromptEmbeds = pooledPromptEmbeds;
        Source = source;
    }

    /// <summary>Sequence embeddings [B, L, D].</summary>
    public torch.Tensor PromptEmbeds { get; }

    /// <summary>Pooled embeddings [B, P].</summary>
    public torch.Tensor PooledPromptEmbeds { get; }

    /// <summary>The file or folder they were read from.</summary>
    public string Source { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        PromptEmbeds.Dispose();
        PooledPromptEmbeds.Dispose();
    }

    internal static void Validate(torch.Tensor prompt, torch.Tensor pooled, string source)
    {
        if (prompt.dim() != 3)
        {
            throw new ArgumentException($"{PromptEmbedsKey} from '{source}' has shape [{string.Join(", ", prompt.shape)}]; expected rank 3 [batch, tokens, dim].");
        }

        if (pooled.dim() != 2)
        {
            throw new ArgumentException($"{PooledPromptEmbedsKey} from '{source}' has shape [{string.Join(", ", pooled.shape)}]; expected rank 2 [batch, dim].");
        }

        if (prompt.shape[0] != pooled.shape[0])
        {
            throw new ArgumentException($"Prompt embeddings from '{source}' disagree on the batch size: {prompt.shape[0]} vs {pooled.shape[0]}.");
        }

        if (!prompt.is_floating_point() || !pooled.is_floating_point())
        {
            throw new ArgumentException($"Prompt embeddings from '{source}' must be floating point (got {prompt.dtype} and {pooled.dtype}).");
        }
    }
}
