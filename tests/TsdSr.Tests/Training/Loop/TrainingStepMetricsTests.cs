using TsdSr.Training.Loop;
using TsdSr.Training.Metrics;

namespace TsdSr.Tests.Training.Loop;

public class TrainingStepMetricsTests
{
    [Fact]
    public void Every_computed_term_lands_in_its_standard_column_and_missing_terms_stay_out()
    {
        var timings = new TrainingStepTimings(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3),
            TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(21));
        var result = new TrainingStepResult(3, 1.5, 1.25, 0.75, 0.5, null, 1.0, null, 2, 0, [], 0.125, 0.25, 0.375, 5e-6, 1e-6, timings);

        var columns = TrainingStepMetrics.ToColumns(result, stage: 2);

        columns.Keys.Should().BeSubsetOf(MetricColumns.All);
        columns.Should().NotContainKey(MetricColumns.LossTsd);
        columns[MetricColumns.LossTotal].Should().Be(1.5);
        columns[MetricColumns.LossLpips].Should().Be(0.5);
        columns[MetricColumns.LossLatentMse].Should().Be(0.75);
        columns[MetricColumns.LossFakeScore].Should().Be(0.125);
        columns[MetricColumns.GradNormStudent].Should().Be(0.25);
        columns[MetricColumns.GradNormFakeScore].Should().Be(0.375);
        columns[MetricColumns.LrStudent].Should().Be(5e-6);
        columns[MetricColumns.LrFakeScore].Should().Be(1e-6);
        columns[MetricColumns.NonFiniteScores].Should().Be(2);
        columns[MetricColumns.Stage].Should().Be(2);
        columns[MetricColumns.FakeScoreSeconds].Should().Be(6);
        columns[MetricColumns.StudentSeconds].Should().Be(15);
        columns[MetricColumns.StepSeconds].Should().Be(21);
    }
}
