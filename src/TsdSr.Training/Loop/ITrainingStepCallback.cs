namespace TsdSr.Training.Loop;

/// <summary>
/// Called by <see cref="Trainer"/> after every step, outside any dispose scope (logging, checkpoints, validation). A
/// step's tensors are already disposed; the callback sees plain numbers and may read the models and optimisers.
/// </summary>
public interface ITrainingStepCallback
{
    /// <summary>Handles a finished step.</summary>
    /// <param name="result">The step's losses, norms and timings.</param>
    /// <param name="cancellationToken">The run's token.</param>
    ValueTask OnStepAsync(TrainingStepResult result, CancellationToken cancellationToken);
}
