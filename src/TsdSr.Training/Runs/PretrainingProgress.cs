namespace TsdSr.Training.Runs;

/// <summary>One completed step of a <see cref="PretrainingRun"/>.</summary>
/// <param name="Step">The 0-based global step that completed.</param>
/// <param name="StepsDone">Steps completed by this call.</param>
/// <param name="MaxSteps">The step count the run trains to.</param>
/// <param name="Metrics">The step's metrics by column.</param>
/// <param name="Elapsed">Time since this call started.</param>
public sealed record PretrainingProgress(long Step, long StepsDone, long MaxSteps, IReadOnlyDictionary<string, double> Metrics, TimeSpan Elapsed);
