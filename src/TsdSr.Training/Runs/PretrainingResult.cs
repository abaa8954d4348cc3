using TsdSr.Training.Checkpoints;

namespace TsdSr.Training.Runs;

/// <summary>What <see cref="PretrainingRun.RunAsync"/> did.</summary>
/// <param name="StartStep">The step the call started at.</param>
/// <param name="NextStep">The step a resumed run would start at.</param>
/// <param name="StepsDone">Steps completed by this call.</param>
/// <param name="Cancelled">Whether cancellation ended the call (the last completed step is checkpointed).</param>
/// <param name="LastCheckpoint">The newest checkpoint, or null when none was written.</param>
/// <param name="Exported">The exported model folder, or null when cancelled.</param>
/// <param name="Elapsed">Wall time of the call.</param>
public sealed record PretrainingResult(long StartStep, long NextStep, long StepsDone, bool Cancelled, CheckpointInfo? LastCheckpoint, string? Exported, TimeSpan Elapsed);
