namespace TsdSr.Losses.Distillation;

/// <summary>
/// One time point at which the score differences are taken. A single-step TSD uses one sub-step of weight 1; DASM
/// (Algorithm 1) uses several, each followed by an Euler step to <see cref="NextSigma"/> along both trajectories.
/// The record does not own its tensors.
/// </summary>
/// <param name="Timestep">Model timesteps σ·1000, one per sample [B].</param>
/// <param name="Sigma">σ_k per sample [B].</param>
/// <param name="NextSigma">σ_{k+1} per sample [B] for the Euler step after this sub-step, or null for the last one.</param>
/// <param name="Weight">The sub-step weight w_k (reference DASM: 1, 0.3, 0.3, 0.3).</param>
public sealed record DistillationSubStep(Tensor Timestep, Tensor Sigma, Tensor? NextSigma, double Weight);
