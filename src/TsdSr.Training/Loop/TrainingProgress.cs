namespace TsdSr.Training.Loop;

/// <summary>Progress of a training run after one step.</summary>
/// <param name="Step">The 0-based global step just finished.</param>
/// <param name="StepsDone">Steps finished in this run (not counting steps before a resume).</param>
/// <param name="MaxSteps">The global step count the run stops at, or null for "until the batches end".</param>
/// <param name="Result">The step's losses, norms and timings.</param>
/// <param name="Elapsed">Wall-clock time since the run started.</param>
public sealed record TrainingProgress(long Step, long StepsDone, long? MaxSteps, TrainingStepResult Result, TimeSpan Elapsed)
{
    /// <summary>Steps per second over the run so far.</summary>
    public double StepsPerSecond => Elapsed.TotalSeconds > 0 ? StepsDone / Elapsed.TotalSeconds : 0;
}
