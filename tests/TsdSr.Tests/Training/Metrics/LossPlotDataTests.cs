using TsdSr.Imaging;
using TsdSr.Training.Metrics;

namespace TsdSr.Tests.Training.Metrics;

/// <summary>What a loss plot shows: the chosen terms that carry data (no empty panels), read from the metrics CSV.</summary>
public sealed class LossPlotDataTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-lossplotdata-").FullName;

    private string Csv()
    {
        var csv = Path.Combine(dir, "metrics.csv");
        using var logger = CsvMetricsLogger.Open(csv, ["loss_total", "loss_tsd", "loss_nan", "lr"]);
        for (int s = 0; s < 20; s++)
        {
            logger.Log(s, new Dictionary<string, double> { ["loss_total"] = 1.0 / (s + 1), ["loss_tsd"] = 0, ["loss_nan"] = double.NaN, ["lr"] = 1e-4 });
        }

        return csv;
    }

    [Fact]
    public void Terms_that_are_all_zero_or_all_non_finite_are_left_out()
    {
        var data = LossPlotData.FromCsv(Csv(), "run", ["loss_total", "loss_tsd", "loss_nan"]);

        data.Title.Should().Be("run");
        data.Series.Select(s => s.Name).Should().Equal("loss_total");
        data.Series[0].Points.Should().HaveCount(20);
        data.Series[0].Points[19].Should().Be((19L, 1.0 / 20));
    }

    [Fact]
    public void No_columns_means_every_column_with_data()
    {
        LossPlotData.FromCsv(Csv(), "run").Series.Select(s => s.Name).Should().Equal("loss_total", "lr");
    }

    [Fact]
    public void An_unknown_column_is_named()
    {
        FluentActions.Invoking(() => LossPlotData.FromCsv(Csv(), "run", ["loss_total", "loss_vsd"]))
            .Should().Throw<ArgumentException>().WithMessage("*no column(s) loss_vsd*");
    }

    [Fact]
    public void The_panel_plotter_draws_one_panel_per_term_and_writes_nothing_for_no_terms()
    {
        var png = Path.Combine(dir, "loss.png");
        PanelLossPlotter.Instance.Save(new LossPlotData("run", []), png);
        File.Exists(png).Should().BeFalse();

        PanelLossPlotter.Instance.Save(LossPlotData.FromCsv(Csv(), "run"), png);
        var image = ImageCodec.Load(png);
        (image.Width, image.Height).Should().Be((640, 2 * 120), "two terms carry data: loss_total and lr");
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);
}
