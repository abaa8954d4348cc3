using TsdSr.Imaging;
using TsdSr.Training.Metrics;

namespace TsdSr.Tests.Training.Metrics;

public sealed class LossPlotTests : IDisposable
{
    private readonly string dir = TrainingTestSupport.TempDir();

    private static bool HasColour(RgbImage image, (byte R, byte G, byte B) c, int top, int bottom)
    {
        for (int y = top; y < bottom; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                int o = ((y * image.Width) + x) * 3;
                if (image.Pixels[o] == c.R && image.Pixels[o + 1] == c.G && image.Pixels[o + 2] == c.B)
                {
                    return true;
                }
            }
        }

        return false;
    }

    [Fact]
    public void Each_series_is_drawn_in_its_own_panel_and_colour()
    {
        var falling = Enumerable.Range(0, 50).Select(i => ((long)i, 1.0 / (i + 1))).ToList();
        var rising = Enumerable.Range(0, 50).Select(i => ((long)i, (double)i)).ToList();
        var image = LossPlot.Render([("a", falling), ("b", rising)], width: 100, panelHeight: 40);
        image.Width.Should().Be(100);
        image.Height.Should().Be(80);
        HasColour(image, LossPlot.Palette[0], 0, 40).Should().BeTrue();
        HasColour(image, LossPlot.Palette[1], 0, 40).Should().BeFalse();
        HasColour(image, LossPlot.Palette[1], 40, 80).Should().BeTrue();
    }

    [Fact]
    public void A_rising_series_ends_higher_in_the_image_than_it_starts()
    {
        var rising = Enumerable.Range(0, 20).Select(i => ((long)i, (double)i)).ToList();
        var image = LossPlot.Render([("r", rising)], width: 64, panelHeight: 64);
        int Row(int x) => Enumerable.Range(0, 64).First(y =>
        {
            int o = ((y * 64) + x) * 3;
            return (image.Pixels[o], image.Pixels[o + 1], image.Pixels[o + 2]) == LossPlot.Palette[0];
        });
        Row(6).Should().BeGreaterThan(Row(57));
    }

    [Fact]
    public void The_plot_is_written_as_png_from_the_metrics_csv()
    {
        var csv = Path.Combine(dir, "m.csv");
        using (var logger = CsvMetricsLogger.Open(csv, ["loss", "lr"]))
        {
            for (int s = 1; s <= 10; s++)
            {
                logger.Log(s, new Dictionary<string, double> { ["loss"] = 1.0 / s, ["lr"] = s * 1e-6 });
            }
        }

        var png = Path.Combine(dir, "loss.png");
        PanelLossPlotter.Instance.Save(LossPlotData.FromCsv(csv, "run", ["loss"]), png);
        var image = ImageCodec.Load(png);
        (image.Width, image.Height).Should().Be((640, 120), "one panel of the default size");
        FluentActions.Invoking(() => LossPlotData.FromCsv(csv, "run", ["nope"])).Should().Throw<ArgumentException>().WithMessage("*nope*");
    }

    public void Dispose() => TrainingTestSupport.DeleteDir(dir);
}
