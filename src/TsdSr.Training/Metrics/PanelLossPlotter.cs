using TsdSr.Imaging;

namespace TsdSr.Training.Metrics;

/// <summary>The dependency-free <see cref="ILossPlotter"/>: <see cref="LossPlot"/>'s stacked panels, one per term.</summary>
public sealed class PanelLossPlotter : ILossPlotter
{
    /// <summary>The shared instance (the plotter has no state).</summary>
    public static PanelLossPlotter Instance { get; } = new();

    /// <inheritdoc />
    public void Save(LossPlotData plot, string pngPath)
    {
        ArgumentNullException.ThrowIfNull(plot);
        if (plot.Series.Count == 0)
        {
            return;
        }

        var image = LossPlot.Render(plot.Series.Select(s => (s.Name, s.Points)).ToList());
        ImageCodec.SavePng(image, pngPath); // atomic: a reader never sees half a plot
    }
}
