using TsdSr.Training.Config;

namespace TsdSr.Training.Runs;

/// <summary>The loss plot's title: the stage and the run folder, so a plot copied elsewhere still says what it shows.</summary>
internal static class LossPlotTitle
{
    public static string For(TsdSrTrainingConfig config)
    {
        var folder = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(config.OutputDir)));
        var stage = config.Stage switch
        {
            TrainingStageKind.Vae => "VAE",
            TrainingStageKind.Teacher => "teacher",
            _ => "student",
        };
        return $"{folder} ({stage} training)";
    }
}
