using TorchSharp;

namespace TsdSr.Core.Embeddings;

/// <summary>
/// A prompt's text conditioning: SD3 text-encoder outputs computed once offline (TSD-SR's fixed prompt, so inference
/// needs no text encoders), as token embeddings [B, L, D] and pooled embeddings [B, P]. The one type for prompts across
/// the libraries: loaded by <see cref="PromptEmbeddingsLoader"/>, fed to the upscaler, the score models and the losses.
/// Disposing it disposes both tensors.
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
    /// <param name="source">Where they came from, for error messages (default: "memory").</param>
    /// <exception cref="ArgumentException">A rank or the batch sizes are wrong.</exception>
    public PromptEmbeddings(torch.Tensor promptEmbeds, torch.Tensor pooledPromptEmbeds, string source = "memory")
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

    /// <summary>
    /// The embeddings for a batch of <paramref name="batch"/>: unchanged when their batch already matches, repeated
    /// when it is 1 (the reference repeats its single null / default prompt to the batch size).
    /// </summary>
    /// <returns>New tensors the caller owns.</returns>
    /// <exception cref="ArgumentException">The batch is neither 1 nor <paramref name="batch"/>.</exception>
    public (torch.Tensor PromptEmbeds, torch.Tensor PooledPromptEmbeds) ForBatch(long batch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1L);
        return (Expand(PromptEmbeds, batch, "Prompt"), Expand(PooledPromptEmbeds, batch, "Pooled"));
    }

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

    private static torch.Tensor Expand(torch.Tensor t, long batch, string name)
    {
        if (t.shape[0] == batch)
        {
            return t.alias();
        }

        if (t.shape[0] != 1)
        {
            throw new ArgumentException($"{name} embeddings have batch {t.shape[0]}; expected 1 or {batch}.");
        }

        var reps = new long[t.dim()];
        Array.Fill(reps, 1L);
        reps[0] = batch;
        return t.repeat(reps);
    }
}
