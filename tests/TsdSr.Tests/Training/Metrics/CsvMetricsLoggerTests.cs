using TsdSr.Training.Metrics;

namespace TsdSr.Tests.Training.Metrics;

public sealed class CsvMetricsLoggerTests : IDisposable
{
    private readonly string dir = TrainingTestSupport.TempDir();

    private string CsvPath => Path.Combine(dir, "metrics.csv");

    [Fact]
    public void Rows_are_on_disk_as_soon_as_they_are_logged()
    {
        using var logger = CsvMetricsLogger.Open(CsvPath, ["loss_tsd", "lr_student"]);
        logger.Log(1, new Dictionary<string, double> { ["loss_tsd"] = 0.5, ["lr_student"] = 5e-6 });
        logger.Log(2, new Dictionary<string, double> { ["loss_tsd"] = 0.25 });
        using var fs = new FileStream(CsvPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(fs);
        reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Should().Equal("step,loss_tsd,lr_student", "1,0.5,5E-06", "2,0.25,");
    }

    [Fact]
    public void Reopening_for_a_resume_drops_rows_after_the_resume_step_and_appends()
    {
        using (var logger = CsvMetricsLogger.Open(CsvPath, ["a"]))
        {
            for (int s = 1; s <= 5; s++)
            {
                logger.Log(s, new Dictionary<string, double> { ["a"] = s });
            }
        }

        using (var logger = CsvMetricsLogger.Open(CsvPath, ["a"], resumeStep: 3))
        {
            logger.Log(4, new Dictionary<string, double> { ["a"] = 40 });
        }

        var series = CsvMetricsLogger.Read(CsvPath)["a"];
        series.Should().Equal((1L, 1.0), (2L, 2.0), (3L, 3.0), (4L, 40.0));
    }

    [Fact]
    public void Another_header_or_an_unknown_column_is_an_error()
    {
        using (var logger = CsvMetricsLogger.Open(CsvPath, ["a"]))
        {
            FluentActions.Invoking(() => logger.Log(1, new Dictionary<string, double> { ["b"] = 1 }))
                .Should().Throw<ArgumentException>().WithMessage("*'b'*");
        }

        FluentActions.Invoking(() => CsvMetricsLogger.Open(CsvPath, ["a", "b"]))
            .Should().Throw<InvalidDataException>().WithMessage("*header*");
        FluentActions.Invoking(() => CsvMetricsLogger.Open(Path.Combine(dir, "x.csv"), ["a,b"])).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void The_standard_columns_are_valid_and_the_loss_columns_are_among_them()
    {
        using var logger = CsvMetricsLogger.Open(CsvPath, MetricColumns.All);
        logger.Columns.Should().Equal(MetricColumns.All);
        MetricColumns.All.Should().Contain(MetricColumns.Losses);
    }

    public void Dispose() => TrainingTestSupport.DeleteDir(dir);
}
