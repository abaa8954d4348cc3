using TsdSr.Cli.Plotting;
using TsdSr.Imaging;
using TsdSr.Training.Metrics;

namespace TsdSr.Tests.Cli.Plotting;

/// <summary>The CLI's loss plot: one titled panel per term, stacked, with text (axes, ticks, legend) drawn.</summary>
public sealed class ScottPlotLossPlotterTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-scottplot-").FullName;

    private static LossSeries Falling(string name, int n) => new(name, Enumerable.Range(0, n).Select(i => ((long)i, 1.0 / (i + 1))).ToList());

    [Fact]
    public void Each_term_gets_a_panel_of_the_chosen_size()
    {
        var png = Path.Combine(dir, "loss.png");
        new ScottPlotLossPlotter { Width = 400, PanelHeight = 200 }.Save(new LossPlotData("run", [Falling("a", 100), Falling("b", 100), Falling("c", 100)]), png);

        var image = ImageCodec.Load(png);
        (image.Width, image.Height).Should().Be((400, 600));
    }

    [Fact]
    public void A_panel_has_dark_text_and_axes_besides_the_curve()
    {
        var png = Path.Combine(dir, "loss.png");
        new ScottPlotLossPlotter { Width = 400, PanelHeight = 200 }.Save(new LossPlotData("run", [Falling("a", 100)]), png);
        var image = ImageCodec.Load(png);

        // The curve is in colour; titles, tick labels and the frame are near-black. The old panel plot drew no text
        // and a grey frame, so it has no near-black pixels at all.
        int dark = 0;
        for (int i = 0; i < image.Pixels.Length; i += 3)
        {
            if (image.Pixels[i] < 60 && image.Pixels[i + 1] < 60 && image.Pixels[i + 2] < 60)
            {
                dark++;
            }
        }

        dark.Should().BeGreaterThan(500);
        var top = new RgbImage(400, 20, image.Pixels[..(400 * 20 * 3)]);
        top.Pixels.Should().Contain(b => b < 100, "the title sits at the top of the panel");
    }

    [Fact]
    public void Nothing_is_written_for_no_terms()
    {
        var png = Path.Combine(dir, "none.png");
        new ScottPlotLossPlotter().Save(new LossPlotData("run", []), png);
        File.Exists(png).Should().BeFalse();
    }

    [Theory]
    [InlineData(10, 1)]
    [InlineData(2000, 40)]
    [InlineData(100_000, 200)]
    public void The_moving_mean_window_is_about_two_percent_of_the_run(int count, int window) => MovingMean.WindowFor(count).Should().Be(window);

    [Fact]
    public void The_moving_mean_is_trailing_and_averages_what_exists_at_the_start()
    {
        MovingMean.Of([1, 2, 3, 4, 5], 2).Should().Equal(1, 1.5, 2.5, 3.5, 4.5);
        MovingMean.Of([1, 2, 3], 1).Should().Equal(1, 2, 3);
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);
}
