using System.CommandLine;
using TsdSr.Evaluation.Metrics;
using TsdSr.Evaluation.Output;
using TsdSr.Evaluation.Runner;

namespace TsdSr.Cli.Commands;

/// <summary><c>tsdsr eval</c>: the paper's metrics over a folder of SR images (pyiqa-identical values).</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var sr = new Option<DirectoryInfo>("--sr") { Description = "Folder of super-resolved images.", Required = true };
        var hr = new Option<DirectoryInfo?>("--hr") { Description = "Folder of ground-truth images, paired by file name (needed by full-reference metrics)." };
        var lr = new Option<DirectoryInfo?>("--lr") { Description = "Folder of low-resolution inputs (names are checked; no metric uses them yet)." };
        var metrics = new Option<string?>("--metrics")
        {
            Description = $"Comma-separated metrics (default: {string.Join(",", BuiltInMetrics.PaperMetrics)}; unavailable ones are then skipped with a warning). Known: {string.Join(",", MetricRegistry.CreateDefault().Names)}.",
        };
        var weights = new Option<DirectoryInfo?>("--weights") { Description = "Folder with backbone weights (e.g. alexnet.safetensors for LPIPS)." };
        var format = new Option<string>("--format") { Description = "Output format: table, csv or json.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        var output = new Option<FileInfo?>("--output") { Description = "Write the per-image values and means here instead of standard output." };

        var command = new Command("eval", "Compute PSNR, SSIM, LPIPS, NIQE, … per image and their means, and print a summary row shaped like the paper's Table 1.");
        foreach (var o in new Option[] { sr, hr, lr, metrics, weights, format, output })
        {
            command.Options.Add(o);
        }

        command.SetAction(async (parse, ct) =>
        {
            var options = new EvaluationOptions
            {
                SrDirectory = parse.GetValue(sr)!.FullName,
                HrDirectory = parse.GetValue(hr)?.FullName,
                LrDirectory = parse.GetValue(lr)?.FullName,
                Metrics = parse.GetValue(metrics)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                WeightsDirectory = parse.GetValue(weights)?.FullName,
            };
            var fmt = ReportWriter.ParseFormat(parse.GetValue(format)!);
            var progress = new Progress<EvaluationProgress>(p =>
                Console.Error.WriteLine($"[{p.Done}/{p.Total}] {p.ImageName}  " + string.Join("  ", p.Values.Select(kv => $"{kv.Key} {kv.Value:F4}"))));
            EvaluationReport report;
            try
            {
                report = await new EvaluationRunner().RunAsync(options, progress, ct);
            }
            catch (Exception e) when (e is ArgumentException or MetricUnavailableException or InvalidDataException or DirectoryNotFoundException or FileNotFoundException)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 1;
            }

            foreach (var w in report.Warnings)
            {
                Console.Error.WriteLine("warning: " + w);
            }

            var path = parse.GetValue(output);
            if (path is null)
            {
                ReportWriter.Write(report, fmt, Console.Out);
            }
            else
            {
                await using var file = new StreamWriter(path.FullName);
                ReportWriter.Write(report, fmt, file);
                Console.Error.WriteLine($"wrote {path.FullName}");
            }

            Console.Error.WriteLine();
            Console.Error.Write(PaperTable.Format(report, Path.GetFileName(options.SrDirectory.TrimEnd(Path.DirectorySeparatorChar))));
            return 0;
        });
        return command;
    }
}
