using TsdSr.Training.Checkpoints;
using TsdSr.Training.Loop;

namespace TsdSr.Training.Runs;

/// <summary>How a <see cref="TrainingRun"/> ended.</summary>
/// <param name="StartStep">The global step the run started at (0, or the resumed checkpoint's step).</param>
/// <param name="NextStep">Completed global steps at the end (the step a later resume starts at).</param>
/// <param name="StepsDone">Steps completed by this call.</param>
/// <param name="Cancelled">True when the run was cancelled; the last completed step is checkpointed, the student not exported.</param>
/// <param name="LastCheckpoint">The newest checkpoint written by this call, or null.</param>
/// <param name="ExportedStudent">The exported student folder (when the run reached max_steps), or null.</param>
/// <param name="Last">The last step's result, or null when no step ran.</param>
/// <param name="Elapsed">Wall-clock time of the call.</param>
public sealed record TrainingRunResult(
    long StartStep,
    long NextStep,
    long StepsDone,
    bool Cancelled,
    CheckpointInfo? LastCheckpoint,
    string? ExportedStudent,
    TrainingStepResult? Last,
    TimeSpan Elapsed);
