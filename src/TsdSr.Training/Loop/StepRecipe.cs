using TsdSr.Training.Dasm;
using TsdSr.Training.Randomness;

namespace TsdSr.Training.Loop;

/// <summary>
/// What one training step does: which terms the student loss has, how the distillation sub-steps are built, and which
/// of the two models are updated. The reference (one stage) is the default: TSD with one sub-step, latent MSE weight 1,
/// both updates every step.
/// </summary>
public sealed record StepRecipe
{
    /// <summary>The reference step: TSD on (one sub-step), latent MSE weight 1, student and fake score both updated.</summary>
    public static StepRecipe Reference { get; } = new();

    /// <summary>
    /// A reconstruction-only step (latent MSE + perceptual, no distillation term); the fake score is still trained on
    /// ẑ so that it tracks the student for the following distillation stage.
    /// </summary>
    public static StepRecipe ReconstructionOnly { get; } = new() { Distillation = false };

    /// <summary>Whether the student loss has the TSD term (γ·L_tsd); off, the teacher is not run.</summary>
    public bool Distillation { get; init; } = true;

    /// <summary>Weight of the latent MSE in the data loss (1 in the reference; 0 drops it, e.g. the second stage).</summary>
    public double LatentMseWeight { get; init; } = 1.0;

    /// <summary>Builds the distillation sub-steps (DASM); null = one sub-step of weight 1 at each sample's index.</summary>
    public ISubStepPlanner? SubSteps { get; init; }

    /// <summary>Update the student (transformer LoRA + VAE-encoder LoRA). Off, ẑ is computed without a graph.</summary>
    public bool UpdateStudent { get; init; } = true;

    /// <summary>Update the fake-score LoRA on the detached ẑ after the student update (the reference: every step).</summary>
    public bool UpdateFakeScore { get; init; } = true;

    /// <summary>
    /// The recipe of a configured stage (<see cref="Config.TrainingStage"/>): TSD on, the stage's latent MSE weight, and
    /// a DASM planner when the stage has more than one sub-step.
    /// </summary>
    /// <param name="stage">The stage from <c>TsdSrTrainingConfig.StageAt</c>.</param>
    /// <param name="generator">Source of the DASM random biases.</param>
    public static StepRecipe FromStage(Config.TrainingStage stage, SeededGenerator? generator)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return new StepRecipe
        {
            LatentMseWeight = stage.LatentMseWeight,
            SubSteps = stage.Dasm.ActiveSubSteps > 1 ? new DasmSubStepPlanner(new DasmSchedule(stage.Dasm), generator) : null,
        };
    }

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">The latent MSE weight is negative or not finite, or nothing is updated.</exception>
    public void Validate()
    {
        if (!double.IsFinite(LatentMseWeight) || LatentMseWeight < 0)
        {
            throw new ArgumentException($"LatentMseWeight must be finite and ≥ 0, got {LatentMseWeight}.", nameof(LatentMseWeight));
        }

        if (!UpdateStudent && !UpdateFakeScore)
        {
            throw new ArgumentException("A step must update the student, the fake score, or both.", nameof(UpdateStudent));
        }
    }
}
