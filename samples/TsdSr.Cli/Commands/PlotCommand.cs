using System.CommandLine;
using TsdSr.Cli.Plotting;
using TsdSr.Training.Metrics;

namespace TsdSr.Cli.Commands;

/// <summary>
/// <c>tsdsr plot</c>: redraws the loss curves of a run's metrics CSV (as <c>train</c> does every
/// <c>logging.plot_every</c> steps), for example to choose the terms or size for a report.
/// </summary>
internal static class PlotCommand
{
    public static Command Create()
    {
        var metrics = new Option<string>("--metrics") { Description = "A run's metrics.csv (written by tsdsr train).", Required = true, HelpName = "FILE" };
        var output = new Option<string>("--output") { Description = "The PNG to write.", Required = true, HelpName = "FILE" };
        var columns = new Option<string?>("--columns") { Description = "Comma-separated columns to draw (default: every column that carries data).", HelpName = "A,B" };
        var title = new Option<string?>("--title") { Description = "Plot title (default: the CSV's folder name)." };
        var width = new Option<int>("--width") { Description = "Image width in pixels.", DefaultValueFactory = _ => 900 };
        var panelHeight = new Option<int>("--panel-height") { Description = "Height of one panel (one per loss term) in pixels.", DefaultValueFactory = _ => 260 };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace the output file if it exists." };
        var command = new Command("plot", "Draw the loss curves of a training run's metrics CSV: one panel per term, with axes and a legend.")
        {
            metrics, output, columns, title, width, panelHeight, overwrite,
        };
        command.SetAction(parse =>
        {
            var csv = Path.GetFullPath(parse.GetValue(metrics)!);
            var png = Path.GetFullPath(parse.GetValue(output)!);
            if (!File.Exists(csv))
            {
                Console.Error.WriteLine($"No metrics file at '{csv}'.");
                return ExitCodes.SetupFailed;
            }

            if (!string.Equals(Path.GetExtension(png), ".png", StringComparison.OrdinalIgnoreCase))
            {
                Console.Error.WriteLine($"--output must be a .png file, got '{png}'.");
                return ExitCodes.SetupFailed;
            }

            if (File.Exists(png) && !parse.GetValue(overwrite))
            {
                Console.Error.WriteLine($"'{png}' exists; pass --overwrite to replace it.");
                return ExitCodes.SetupFailed;
            }

            int w = parse.GetValue(width), h = parse.GetValue(panelHeight);
            if (w is < 200 or > 8000 || h is < 100 or > 4000)
            {
                Console.Error.WriteLine($"--width must lie in 200..8000 and --panel-height in 100..4000, got {w} and {h}.");
                return ExitCodes.SetupFailed;
            }

            var names = parse.GetValue(columns)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            LossPlotData data;
            try
            {
                data = LossPlotData.FromCsv(csv, parse.GetValue(title) ?? Path.GetFileName(Path.GetDirectoryName(csv)) ?? "loss", names);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or IOException or InvalidDataException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine(e.Message);
                return ExitCodes.SetupFailed;
            }

            if (data.Series.Count == 0)
            {
                Console.Error.WriteLine($"Nothing to plot: no chosen column of '{csv}' has a finite non-zero value.");
                return ExitCodes.SomeFailed;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(png)!);
            new ScottPlotLossPlotter { Width = w, PanelHeight = h }.Save(data, png);
            Console.WriteLine($"{png}: {string.Join(", ", data.Series.Select(s => s.Name))} ({data.Series[0].Points.Count} steps)");
            return ExitCodes.Success;
        });
        return command;
    }
}
