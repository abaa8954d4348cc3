using TsdSr.Training.Metrics;

namespace TsdSr.Training.Loop;

/// <summary>Maps a <see cref="TrainingStepResult"/> to the standard metric columns (<see cref="MetricColumns"/>).</summary>
public static class TrainingStepMetrics
{
    /// <summary>
    /// The step's values by column name, for <see cref="CsvMetricsLogger.Log"/>. Terms the step did not compute are left
    /// out (their cells stay empty).
    /// </summary>
    /// <param name="result">The step result.</param>
    /// <param name="stage">The recipe stage of the step (1 or 2).</param>
    public static IReadOnlyDictionary<string, double> ToColumns(TrainingStepResult result, int stage = 1)
    {
        ArgumentNullException.ThrowIfNull(result);
        var values = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [MetricColumns.LossLatentMse] = result.LatentMse,
            [MetricColumns.LrStudent] = result.StudentLearningRate,
            [MetricColumns.LrFakeScore] = result.FakeScoreLearningRate,
            [MetricColumns.NonFiniteScores] = result.NonFiniteCount,
            [MetricColumns.Stage] = stage,
            [MetricColumns.StudentSeconds] = (result.Timings.Total - result.Timings.FakeScore).TotalSeconds,
            [MetricColumns.FakeScoreSeconds] = result.Timings.FakeScore.TotalSeconds,
            [MetricColumns.StepSeconds] = result.Timings.Total.TotalSeconds,
        };
        Add(values, MetricColumns.LossTotal, result.StudentLoss);
        Add(values, MetricColumns.LossLpips, result.Perceptual);
        Add(values, MetricColumns.LossTsd, result.TsdLoss);
        Add(values, MetricColumns.LossFakeScore, result.FakeScoreLoss);
        Add(values, MetricColumns.GradNormStudent, result.StudentGradNorm);
        Add(values, MetricColumns.GradNormFakeScore, result.FakeScoreGradNorm);
        return values;
    }

    private static void Add(Dictionary<string, double> values, string name, double? value)
    {
        if (value is { } v)
        {
            values[name] = v;
        }
    }
}
