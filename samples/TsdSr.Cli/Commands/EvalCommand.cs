using System.CommandLine;
using TsdSr.Core.Files;
using TsdSr.Evaluation.Metrics;
using TsdSr.Evaluation.Output;
using TsdSr.Evaluation.Runner;

namespace TsdSr.Cli.Commands;

/// <summary>
/// <c>tsdsr eval</c>: the paper's metrics over a folder of SR images (pyiqa-identical values). Exit codes: 0 every image
/// evaluated, 1 some images or metrics failed (each named), 2 usage or setup error, 130 cancelled.
/// </summary>
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
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace an existing --output file (default: refuse and name it)." };
        var maxPixels = new Option<long>("--max-pixels") { Description = "Largest image width x height, read from the header (memory grows with the pair size).", DefaultValueFactory = _ => EvaluationOptions.DefaultMaxPixels, HelpName = "N" };

        var command = new Command("eval", "Compute PSNR, SSIM, LPIPS, NIQE, … per image and their means, and print a summary row shaped like the paper's Table 1.");
        foreach (var o in new Option[] { sr, hr, lr, metrics, weights, format, output, overwrite, maxPixels })
        {
            command.Options.Add(o);
        }

        command.SetAction(async (parse, ct) =>
        {
            var io = parse.InvocationConfiguration;
            var options = new EvaluationOptions
            {
                SrDirectory = parse.GetValue(sr)!.FullName,
                HrDirectory = parse.GetValue(hr)?.FullName,
                LrDirectory = parse.GetValue(lr)?.FullName,
                Metrics = parse.GetValue(metrics)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                WeightsDirectory = parse.GetValue(weights)?.FullName,
                MaxPixels = parse.GetValue(maxPixels),
            };
            var path = parse.GetValue(output);
            var problem = path is null ? null : OutputProblem(path.FullName, parse.GetValue(overwrite));
            if (problem is not null)
            {
                // Found before any image is scored, not after.
                io.Error.WriteLine("error: " + problem);
                return ExitCodes.SetupFailed;
            }

            var fmt = ReportWriter.ParseFormat(parse.GetValue(format)!);
            var progress = new SyncProgress<EvaluationProgress>(p => io.Error.WriteLine(Line(p)));
            EvaluationReport report;
            try
            {
                report = await new EvaluationRunner().RunAsync(options, progress, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                io.Error.WriteLine("Cancelled; nothing was written.");
                return ExitCodes.Cancelled;
            }
            catch (Exception e) when (e is ArgumentException or MetricUnavailableException or DirectoryNotFoundException or FileNotFoundException or InvalidDataException)
            {
                io.Error.WriteLine("error: " + e.Message);
                return ExitCodes.SetupFailed;
            }

            foreach (var w in report.Warnings)
            {
                io.Error.WriteLine("warning: " + w);
            }

            if (path is null)
            {
                ReportWriter.Write(report, fmt, io.Output);
            }
            else
            {
                try
                {
                    WriteReport(report, fmt, path.FullName);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    io.Error.WriteLine($"error: could not write '{path.FullName}': {e.Message}");
                    return ExitCodes.SetupFailed;
                }

                io.Error.WriteLine($"wrote {path.FullName}");
            }

            // The summary table is the command's result, so it goes to standard output (progress and errors go to
            // standard error); only when a CSV or JSON report already fills standard output does it go to standard
            // error, so that the report stays machine-readable.
            var summary = path is null && fmt != ReportFormat.Table ? io.Error : io.Output;
            summary.WriteLine();
            summary.Write(PaperTable.Format(report, Path.GetFileName(options.SrDirectory.TrimEnd(Path.DirectorySeparatorChar))));
            foreach (var m in report.MetricFailures)
            {
                io.Error.WriteLine("error: " + m);
            }

            if (report.Failures.Count > 0)
            {
                io.Error.WriteLine($"Failed: {report.Failures.Count} image(s) could not be evaluated and are left out of the means: {string.Join(", ", report.Failures.Select(f => f.Name))} (reasons above).");
            }

            return report.IsComplete ? ExitCodes.Success : ExitCodes.SomeFailed;
        });
        return command;
    }

    private static string Line(EvaluationProgress p)
    {
        if (p.Error is not null)
        {
            return $"[{p.Done}/{p.Total}] FAIL  {p.ImageName}: {p.Error}";
        }

        var values = string.Join("  ", p.Values.Select(kv => double.IsNaN(kv.Value) ? $"{kv.Key} NaN ({p.Notes.GetValueOrDefault(kv.Key)})" : FormattableString.Invariant($"{kv.Key} {kv.Value:F4}")));
        return $"[{p.Done}/{p.Total}] {p.ImageName}  {values}";
    }

    private static string? OutputProblem(string path, bool overwrite)
    {
        if (!overwrite && File.Exists(path))
        {
            return $"'{path}' already exists; pass --overwrite to replace it.";
        }

        return Writability.FileProblem(path);
    }

    /// <summary>Writes the report under a tracked temporary name and renames it into place: a reader never sees half a report.</summary>
    private static void WriteReport(EvaluationReport report, ReportFormat format, string path)
    {
        using var temp = TemporaryFiles.Create(path);
        using (var file = new StreamWriter(temp.Path))
        {
            ReportWriter.Write(report, format, file);
        }

        temp.Commit(path, overwrite: true);
    }

    /// <summary>Reports on the worker thread, in order (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
