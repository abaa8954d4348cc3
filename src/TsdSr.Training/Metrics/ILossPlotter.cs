namespace TsdSr.Training.Metrics;

/// <summary>
/// Draws a run's loss curves into a PNG. Training runs redraw the plot every <c>logging.plot_every</c> steps through
/// this interface, so an application can choose how: the library's own <see cref="PanelLossPlotter"/> needs no
/// drawing library (curves and frames, no text); the <c>tsdsr</c> CLI plugs in a plotting library for axes, ticks,
/// titles and legends.
/// </summary>
public interface ILossPlotter
{
    /// <summary>Writes the plot of <paramref name="plot"/> to <paramref name="pngPath"/>, replacing it atomically.</summary>
    /// <param name="plot">The terms to draw; may be empty before any term carries data (then nothing is written).</param>
    /// <param name="pngPath">The PNG to write.</param>
    void Save(LossPlotData plot, string pngPath);
}
