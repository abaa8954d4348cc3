using TsdSr.Core.Embeddings;

namespace TsdSr.Losses.Scores;

/// <summary>
/// Wraps a score model with classifier-free guidance against fixed null-prompt embeddings (the reference's
/// <c>dataset/null</c> embeddings, repeated to the batch). The prompt passed to
/// <see cref="PredictVelocity"/> is the conditional one.
/// </summary>
public sealed class GuidedScoreModel : IScoreModel
{
    /// <summary>Creates the wrapper; it does not own <paramref name="inner"/> or the null-prompt tensors.</summary>
    /// <exception cref="ArgumentException">The options are invalid (the embeddings were checked when they were made).</exception>
    public GuidedScoreModel(IScoreModel inner, PromptEmbeddings nullPrompt, GuidanceOptions? options = null)
    {
        Inner = inner ?? throw new ArgumentNullException(nameof(inner));
        NullPrompt = nullPrompt ?? throw new ArgumentNullException(nameof(nullPrompt));
        Options = options ?? GuidanceOptions.Reference;
        Options.Validate();
    }

    /// <summary>The unguided model.</summary>
    public IScoreModel Inner { get; }

    /// <summary>The unconditional (null-prompt) embeddings.</summary>
    public PromptEmbeddings NullPrompt { get; }

    /// <summary>Scale and batching.</summary>
    public GuidanceOptions Options { get; }

    /// <inheritdoc />
    public Tensor PredictVelocity(Tensor latent, Tensor timestep, Tensor promptEmbeds, Tensor pooledEmbeds)
    {
        ArgumentNullException.ThrowIfNull(latent);
        using var scope = NewDisposeScope();
        var (nullPrompt, nullPooled) = NullPrompt.ForBatch(latent.shape[0]);
        Tensor uncond, cond;
        if (Options.Batching == CfgBatching.Concatenated)
        {
            // diffusers order: [uncond; cond] along the batch.
            var x = cat([latent, latent], 0);
            var t = cat([timestep, timestep], 0);
            var p = cat([nullPrompt, promptEmbeds], 0);
            var q = cat([nullPooled, pooledEmbeds], 0);
            var v = Inner.PredictVelocity(x, t, p, q);
            var halves = v.chunk(2, 0);
            (uncond, cond) = (halves[0], halves[1]);
        }
        else
        {
            uncond = Inner.PredictVelocity(latent, timestep, nullPrompt, nullPooled);
            cond = Inner.PredictVelocity(latent, timestep, promptEmbeds, pooledEmbeds);
        }

        return ClassifierFreeGuidance.Combine(uncond, cond, Options.Scale).MoveToOuterDisposeScope();
    }
}
