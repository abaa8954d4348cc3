using TsdSr.Training.Config;

namespace TsdSr.Training.Runs;

/// <summary>Where a run writes: the output folder and, inside it (unless given absolute), checkpoints, metrics, plot and export.</summary>
/// <param name="OutputDir">The run's folder (full path).</param>
/// <param name="Checkpoints">The checkpoint folder.</param>
/// <param name="MetricsCsv">The per-step metrics CSV.</param>
/// <param name="PlotPng">The loss-curve image.</param>
/// <param name="Student">The exported student (<c>transformer.safetensors</c>, <c>vae.safetensors</c>): what <c>tsdsr upscale --lora</c> loads.</param>
public sealed record TrainingRunPaths(string OutputDir, string Checkpoints, string MetricsCsv, string PlotPng, string Student)
{
    /// <summary>The export folder's name inside <see cref="OutputDir"/>.</summary>
    public const string StudentFolderName = "student";

    /// <summary>Resolves the paths of <paramref name="config"/> (relative output_dir against the working folder).</summary>
    public static TrainingRunPaths From(TsdSrTrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var output = Path.GetFullPath(config.OutputDir);
        return new TrainingRunPaths(
            output,
            Path.GetFullPath(config.Checkpoint.Folder, output),
            Path.GetFullPath(config.Logging.MetricsCsv, output),
            Path.GetFullPath(config.Logging.PlotPng, output),
            Path.Combine(output, StudentFolderName));
    }
}
