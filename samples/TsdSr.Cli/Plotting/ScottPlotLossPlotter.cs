using ScottPlot;
using TsdSr.Imaging;
using TsdSr.Training.Metrics;

namespace TsdSr.Cli.Plotting;

/// <summary>
/// The CLI's loss plot: one panel per loss term (terms differ by orders of magnitude, so each gets its own y axis),
/// each with a title, step and value axes with ticks, and a legend naming the raw values and their moving mean.
/// Panels are stacked into one PNG.
/// </summary>
internal sealed class ScottPlotLossPlotter : ILossPlotter
{
    /// <summary>The image width in pixels.</summary>
    public int Width { get; init; } = 900;

    /// <summary>The height of one panel in pixels.</summary>
    public int PanelHeight { get; init; } = 260;

    /// <inheritdoc />
    public void Save(LossPlotData plot, string pngPath)
    {
        ArgumentNullException.ThrowIfNull(plot);
        if (plot.Series.Count == 0)
        {
            return;
        }

        var panels = plot.Series.Select((s, i) => Panel(plot.Title, s, i)).ToList();
        var pixels = new byte[Width * PanelHeight * panels.Count * 3];
        for (int i = 0; i < panels.Count; i++)
        {
            panels[i].Pixels.CopyTo(pixels, i * panels[i].Pixels.Length);
        }

        ImageCodec.SavePng(new RgbImage(Width, PanelHeight * panels.Count, pixels), pngPath); // atomic
    }

    private RgbImage Panel(string title, LossSeries series, int index)
    {
        var finite = series.Points.Where(p => double.IsFinite(p.Value)).ToList();
        double[] steps = finite.Select(p => (double)p.Step).ToArray();
        double[] values = finite.Select(p => p.Value).ToArray();
        var colour = Colors.Category10[index % Colors.Category10.Length];

        var plot = new Plot();
        var raw = plot.Add.ScatterLine(steps, values);
        raw.LegendText = series.Name;
        raw.Color = colour.WithAlpha(0.35);
        raw.LineWidth = 1;
        int window = MovingMean.WindowFor(values.Length);
        if (window > 1)
        {
            var mean = plot.Add.ScatterLine(steps, MovingMean.Of(values, window));
            mean.LegendText = $"{series.Name}, mean of {window} steps";
            mean.Color = colour;
            mean.LineWidth = 2;
        }

        plot.Title(index == 0 ? $"{title}: {series.Name}" : series.Name);
        plot.XLabel("step");
        plot.YLabel(series.Name);
        plot.ShowLegend(Alignment.UpperRight);
        using var stream = new MemoryStream(plot.GetImageBytes(Width, PanelHeight, ImageFormat.Png));
        return ImageCodec.Load(stream, $"{series.Name}.png");
    }
}
