namespace TsdSr.Training.Loop;

/// <summary>The outcome of a completed <see cref="Trainer"/> run.</summary>
/// <param name="StepsDone">Steps finished in this run.</param>
/// <param name="NextStep">The global step the next run should start at (for a resume).</param>
/// <param name="Last">The last step's result, or null when no step ran.</param>
/// <param name="Elapsed">Wall-clock time of the run.</param>
public sealed record TrainerSummary(long StepsDone, long NextStep, TrainingStepResult? Last, TimeSpan Elapsed);
