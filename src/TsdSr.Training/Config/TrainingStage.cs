using TsdSr.Training.Dasm;

namespace TsdSr.Training.Config;

/// <summary>What one training step uses under the configured recipe.</summary>
/// <param name="Number">1 or 2 (always 1 for the one-stage recipe).</param>
/// <param name="Dasm">DASM options of the step (one sub-step when DASM is off).</param>
/// <param name="LatentMseWeight">Weight of the latent MSE in the data loss (0 when the stage drops it).</param>
public sealed record TrainingStage(int Number, DasmOptions Dasm, double LatentMseWeight);
