using Microsoft.Extensions.Logging;
using TsdSr.Training.Checkpoints;
using TsdSr.Training.Config;
using TsdSr.Training.Data;
using TsdSr.Training.Loop;
using TsdSr.Training.Metrics;

namespace TsdSr.Training.Runs;

/// <summary>
/// The run's per-step work outside the step itself: one metrics row per step (flushed), a checkpoint every
/// <c>checkpoint.every</c> completed steps, the loss plot every <c>logging.plot_every</c> steps. Checkpoints hold the
/// completed step count, so a resume starts at the step after the last saved one.
/// </summary>
internal sealed class TrainingRunCallback(
    TsdSrTrainingConfig config,
    TrainingRunPaths paths,
    CsvMetricsLogger metrics,
    CheckpointManager checkpoints,
    CheckpointContent content,
    ITrainingBatchSource loader,
    ILogger logger,
    ILossPlotter plotter) : ITrainingStepCallback
{
    /// <summary>The key of the loader position in the checkpoint's extra values.</summary>
    public const string DataPositionKey = "data_position";

    /// <summary>Completed global steps so far.</summary>
    public long Completed { get; set; }

    /// <summary>The completed step count of the newest checkpoint on disk (−1 before any).</summary>
    public long SavedAt { get; set; } = -1;

    /// <summary>The newest checkpoint written by this run.</summary>
    public CheckpointInfo? LastCheckpoint { get; private set; }

    /// <inheritdoc />
    public ValueTask OnStepAsync(TrainingStepResult result, CancellationToken cancellationToken)
    {
        // The token is ignored on purpose: a step that finished is always logged and, when due, checkpointed.
        metrics.Log(result.Step, TrainingStepMetrics.ToColumns(result, config.StageAt(result.Step).Number));
        Completed = result.Step + 1;
        if (Completed % config.Checkpoint.Every == 0)
        {
            Save();
        }

        if (Completed % config.Logging.PlotEvery == 0)
        {
            Plot();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Checkpoints the completed steps unless that checkpoint exists already.</summary>
    public void SaveIfNeeded()
    {
        if (Completed > 0 && SavedAt != Completed)
        {
            Save();
        }
    }

    /// <summary>Redraws the loss plot from the CSV (no-op before the first row).</summary>
    public void Plot()
    {
        if (Completed == 0)
        {
            return;
        }

        try
        {
            plotter.Save(LossPlotData.FromCsv(metrics.Path, LossPlotTitle.For(config), MetricColumns.Losses), paths.PlotPng);
        }
        catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
        {
            // A plot is a convenience: never stop training for it.
            logger.LogWarning("Could not write the loss plot '{Plot}': {Message}", paths.PlotPng, e.Message);
        }
    }

    private void Save()
    {
        content.GlobalStep = Completed;
        content.Extra[DataPositionKey] = loader.State;
        LastCheckpoint = checkpoints.Save(content);
        SavedAt = Completed;
        logger.LogInformation("Checkpoint of step {Step} written to {Folder}", Completed, LastCheckpoint.Path);
    }
}
