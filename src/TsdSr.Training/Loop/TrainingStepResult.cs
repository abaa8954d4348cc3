namespace TsdSr.Training.Loop;

/// <summary>
/// Everything one training step measured, as plain numbers (no tensors, so nothing to dispose). Loss terms that the
/// step's recipe did not compute are null.
/// </summary>
/// <param name="Step">The 0-based global step.</param>
/// <param name="StudentLoss">L = L_rec + γ·L_tsd (null when the student was not updated).</param>
/// <param name="ReconstructionLoss">L_rec = w_p·perceptual + w_mse·latent MSE (weighted).</param>
/// <param name="LatentMse">MSE_mean(ẑ, z_H), unweighted.</param>
/// <param name="Perceptual">Mean perceptual distance, unweighted (null when its weight is 0).</param>
/// <param name="TsdLoss">The TSD surrogate value 0.5·mean(grad²) (null when distillation is off).</param>
/// <param name="Gamma">γ at this step.</param>
/// <param name="TsdGradientRms">RMS of the combined TSD gradient handed to ẑ (before the 1/numel factor).</param>
/// <param name="NonFiniteCount">Non-finite score differences replaced by nan_to_num.</param>
/// <param name="SubSteps">Number of distillation sub-steps (0 when distillation is off).</param>
/// <param name="TeacherIndices">The per-sample teacher schedule indices (empty when distillation is off).</param>
/// <param name="FakeScoreLoss">The fake-score diffusion loss (null when the fake score was not updated).</param>
/// <param name="StudentGradNorm">Global L2 norm of the student gradients before clipping.</param>
/// <param name="FakeScoreGradNorm">Global L2 norm of the fake-score gradients before clipping.</param>
/// <param name="StudentLearningRate">Student learning rate used by this step's update.</param>
/// <param name="FakeScoreLearningRate">Fake-score learning rate used by this step's update.</param>
/// <param name="Timings">Per-phase wall-clock times.</param>
public sealed record TrainingStepResult(
    long Step,
    double? StudentLoss,
    double ReconstructionLoss,
    double LatentMse,
    double? Perceptual,
    double? TsdLoss,
    double Gamma,
    double? TsdGradientRms,
    long NonFiniteCount,
    int SubSteps,
    IReadOnlyList<long> TeacherIndices,
    double? FakeScoreLoss,
    double? StudentGradNorm,
    double? FakeScoreGradNorm,
    double StudentLearningRate,
    double FakeScoreLearningRate,
    TrainingStepTimings Timings);
