using TorchSharp;
using TsdSr.Training.Checkpoints;
using TsdSr.Training.Data;
using TsdSr.Training.Optimization;
using TsdSr.Training.Randomness;

namespace TsdSr.Training.Pretraining;

/// <summary>
/// What every full-parameter stage shares: one trained module, its optimiser and the step's random source, which are
/// exactly what a checkpoint saves (the module under <c>slot</c>, the generator as <c>step</c>). The step owns the
/// optimiser and the generator, not the module.
/// </summary>
public abstract class PretrainingStep : IPretrainingStep
{
    /// <summary>Checks and keeps the optimiser and the generator and describes the checkpoint content.</summary>
    /// <param name="slot">The module's name in checkpoints (<c>vae</c>, <c>transformer</c>).</param>
    /// <param name="module">The module being trained.</param>
    /// <param name="optimizer">The optimiser over the module's parameters.</param>
    /// <param name="generator">The step's random source.</param>
    protected PretrainingStep(string slot, torch.nn.Module module, TrainingOptimizer optimizer, SeededGenerator generator)
    {
        ArgumentException.ThrowIfNullOrEmpty(slot);
        ArgumentNullException.ThrowIfNull(module);
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        Generator = generator ?? throw new ArgumentNullException(nameof(generator));
        Content = new CheckpointContent
        {
            Modules = [new ModuleSlot(slot, module)],
            Optimizers = [optimizer],
            Generators = new Dictionary<string, SeededGenerator>(StringComparer.Ordinal) { ["step"] = generator },
        };
    }

    /// <summary>The optimiser.</summary>
    public TrainingOptimizer Optimizer { get; }

    /// <summary>The step's random source.</summary>
    public SeededGenerator Generator { get; }

    /// <inheritdoc />
    public CheckpointContent Content { get; }

    /// <inheritdoc />
    public abstract IReadOnlyList<string> Columns { get; }

    /// <inheritdoc />
    public abstract IReadOnlyList<string> LossColumns { get; }

    /// <inheritdoc />
    public abstract IReadOnlyDictionary<string, double> Run(TrainingBatch batch, long step);

    /// <summary>Disposes the optimiser, the generator and whatever the stage adds (the models belong to the caller).</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the optimiser and the generator; stages that own more extend it.</summary>
    /// <param name="disposing">True from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Optimizer.Dispose();
            Generator.Dispose();
        }
    }
}
