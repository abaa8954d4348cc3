using TsdSr.Training.Checkpoints;
using TsdSr.Training.Data;

namespace TsdSr.Training.Pretraining;

/// <summary>
/// One optimiser step of a full-parameter stage (the VAE or the teacher): what <see cref="Runs.PretrainingRun"/> drives,
/// logs, checkpoints and exports.
/// </summary>
public interface IPretrainingStep : IDisposable
{
    /// <summary>The metric columns <see cref="Run"/> reports, in CSV order.</summary>
    IReadOnlyList<string> Columns { get; }

    /// <summary>The loss columns worth plotting.</summary>
    IReadOnlyList<string> LossColumns { get; }

    /// <summary>The trained models, optimisers and generators (what a checkpoint saves and restores).</summary>
    CheckpointContent Content { get; }

    /// <summary>Runs one step on <paramref name="batch"/> (not disposed here) and returns its metrics by column.</summary>
    /// <param name="batch">HR crops (and, for the teacher, their degraded counterparts) in [0, 1].</param>
    /// <param name="step">The 0-based global step.</param>
    IReadOnlyDictionary<string, double> Run(TrainingBatch batch, long step);
}
