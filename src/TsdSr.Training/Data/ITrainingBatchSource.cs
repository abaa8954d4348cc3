namespace TsdSr.Training.Data;

/// <summary>
/// An endless stream of <see cref="TrainingBatch"/>es whose position can be saved and restored as text, so that a
/// resumed run receives exactly the batches an uninterrupted run would have: <see cref="PairBatchLoader"/> (offline
/// pair folders) and <see cref="DegradedBatchSource"/> (HR folders with online degradation).
/// </summary>
public interface ITrainingBatchSource
{
    /// <summary>The position after the last batch returned by <see cref="Next"/> (for checkpoints); setting it restores a saved one.</summary>
    /// <exception cref="ArgumentException">Set to text that is not a position of this kind of source, or does not fit its data.</exception>
    string State { get; set; }

    /// <summary>The next batch; the caller owns and disposes it.</summary>
    TrainingBatch Next();
}
