namespace TsdSr.Losses.Scores;

/// <summary>
/// A flow-matching score model: predicts the velocity v (≈ noise − x0, SD3 rectified flow) of a noisy latent.
/// Implementations are the teacher, the fake-score ("LoRA") model and their classifier-free-guided wrappers.
/// </summary>
public interface IScoreModel
{
    /// <summary>Predicts the velocity.</summary>
    /// <param name="latent">Noisy latent x_σ [B, C, H, W].</param>
    /// <param name="timestep">Float timesteps σ·1000, one per sample [B].</param>
    /// <param name="promptEmbeds">Prompt embeddings [B, L, D] (the conditional prompt; guidance adds the null prompt).</param>
    /// <param name="pooledEmbeds">Pooled prompt embeddings [B, P].</param>
    /// <returns>The velocity, same shape and dtype as <paramref name="latent"/>; the caller owns it.</returns>
    Tensor PredictVelocity(Tensor latent, Tensor timestep, Tensor promptEmbeds, Tensor pooledEmbeds);
}
