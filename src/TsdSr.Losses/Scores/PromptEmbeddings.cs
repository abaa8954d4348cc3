namespace TsdSr.Losses.Scores;

/// <summary>
/// A prompt's text conditioning: token embeddings [B, L, D] and pooled embeddings [B, P]. The record does not own the
/// tensors; whoever created them disposes them.
/// </summary>
/// <param name="Prompt">Token embeddings [B or 1, L, D].</param>
/// <param name="Pooled">Pooled embeddings [B or 1, P].</param>
public sealed record PromptEmbeddings(Tensor Prompt, Tensor Pooled)
{
    /// <summary>
    /// The embeddings for a batch of <paramref name="batch"/>: unchanged when their batch already matches, repeated
    /// when it is 1 (the reference repeats its single null / default prompt to the batch size).
    /// </summary>
    /// <returns>New tensors the caller owns.</returns>
    /// <exception cref="ArgumentException">Ranks are wrong or the batch is neither 1 nor <paramref name="batch"/>.</exception>
    public (Tensor Prompt, Tensor Pooled) ForBatch(long batch)
    {
        Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1L);
        return (Expand(Prompt, batch, nameof(Prompt)), Expand(Pooled, batch, nameof(Pooled)));
    }

    /// <summary>Checks ranks and that both tensors have the same batch size.</summary>
    /// <exception cref="ArgumentException">They do not.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Prompt);
        ArgumentNullException.ThrowIfNull(Pooled);
        if (Prompt.dim() != 3 || Pooled.dim() != 2)
        {
            throw new ArgumentException(
                $"Prompt embeddings must be [B, L, D] and pooled [B, P]; got [{string.Join(", ", Prompt.shape)}] and [{string.Join(", ", Pooled.shape)}].");
        }

        if (Prompt.shape[0] != Pooled.shape[0])
        {
            throw new ArgumentException($"Prompt batch {Prompt.shape[0]} differs from pooled batch {Pooled.shape[0]}.");
        }
    }

    private static Tensor Expand(Tensor t, long batch, string name)
    {
        if (t.shape[0] == batch)
        {
            return t.alias();
        }

        if (t.shape[0] != 1)
        {
            throw new ArgumentException($"{name} embeddings have batch {t.shape[0]}; expected 1 or {batch}.", name);
        }

        var reps = new long[t.dim()];
        Array.Fill(reps, 1L);
        reps[0] = batch;
        return t.repeat(reps);
    }
}
