using System.CommandLine;
using TsdSr.Data.Degradation;
using TsdSr.Data.PairFolders;
using TsdSr.Data.Runner;
using TsdSr.Imaging;

namespace TsdSr.Cli.Commands;

/// <summary>
/// <c>tsdsr degrade</c>: writes an offline training pair folder (gt/, lr_bicubic/, lr/) from HR images. Exit codes: 0
/// done (images too small or flat are skipped with their reason), 1 some files could not be read (each named, the
/// others done), 2 usage or setup error, 130 cancelled (complete pairs kept; resume with --resume).
/// </summary>
internal static class DegradeCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input") { Description = "Folder of HR images (PNG, JPEG, WebP; searched recursively).", Required = true };
        var output = new Option<string>("--output") { Description = "Output pair folder; one that already holds pairs needs --resume or --overwrite.", Required = true };
        var preset = new Option<string>("--preset") { Description = "Degradation preset: osediff (default), seesr (the one TSD-SR trained with), realesrgan, stablesr.", DefaultValueFactory = _ => "osediff" };
        preset.AcceptOnlyFromAmong([.. DegradationConfig.PresetNames]);
        var crop = new Option<int>("--crop") { Description = "HR crop size in pixels.", DefaultValueFactory = _ => 512 };
        var scale = new Option<int>("--scale") { Description = "Down-scaling factor (4 or 2).", DefaultValueFactory = _ => 4 };
        var perImage = new Option<int>("--per-image") { Description = "Random crops (pairs) per HR image.", DefaultValueFactory = _ => 1 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of crops and degradations (same seed, same pairs).", DefaultValueFactory = _ => 0 };
        var preview = new Option<bool>("--preview") { Description = "Also write preview.png, a contact sheet of the first HR/LR pairs." };
        var resume = new Option<bool>("--resume") { Description = "Continue an interrupted run into the same folder: complete pairs are kept (the options must be the same)." };
        var overwrite = new Option<bool>("--overwrite") { Description = "Start again in a folder that already holds pairs: its pairs are removed first." };

        var command = new Command("degrade", "Make training pairs with the Real-ESRGAN second-order degradation (TSD-SR's offline layout).")
        {
            input, output, preset, crop, scale, perImage, seed, preview, resume, overwrite,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var io = parse.InvocationConfiguration;
            var options = new DegradeOptions
            {
                Input = parse.GetValue(input)!,
                Output = parse.GetValue(output)!,
                Config = DegradationConfig.FromName(parse.GetValue(preset)!),
                CropSize = parse.GetValue(crop),
                Scale = parse.GetValue(scale),
                PerImage = parse.GetValue(perImage),
                Seed = parse.GetValue(seed),
                Preview = parse.GetValue(preview),
                Resume = parse.GetValue(resume),
                Overwrite = parse.GetValue(overwrite),
            };
            try
            {
                var summary = await DegradeRunner.RunAsync(options, new LineProgress(io.Error), cancellationToken);
                io.Output.WriteLine(summary);
                if (summary.PairsWritten == 0)
                {
                    io.Error.WriteLine($"degrade: no pairs were made. {NoPairsReason(summary, options.CropSize)}");
                    return ExitCodes.SetupFailed;
                }

                if (summary.ImagesFailed > 0)
                {
                    io.Error.WriteLine($"Failed: {summary.ImagesFailed} file(s) could not be read: {string.Join(", ", summary.Skipped.Where(s => s.Failed).Select(s => Path.GetFileName(s.File)))} (reasons above).");
                    return ExitCodes.SomeFailed;
                }

                return ExitCodes.Success;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                var gt = Path.Combine(Path.GetFullPath(options.Output), PairFolderLayout.Gt);
                int pairs = Directory.Exists(gt) ? Directory.EnumerateFiles(gt, "*.png").Count() : 0;
                io.Error.WriteLine($"Cancelled. Kept the {pairs} pair(s) in '{Path.GetFullPath(options.Output)}'; the pair in progress was discarded. Run the same command with --resume to continue.");
                return ExitCodes.Cancelled;
            }
            catch (Exception e) when (e is ArgumentException or DirectoryNotFoundException or PairFolderException or ImageFormatException or IOException or UnauthorizedAccessException)
            {
                io.Error.WriteLine($"degrade: {e.Message}" + (e is PairFolderException && !options.Resume && !options.Overwrite ? " (--resume or --overwrite)" : string.Empty));
                return ExitCodes.SetupFailed;
            }
        });
        return command;
    }

    /// <summary>Prints one line per HR image, with the reason when it gave no pair; synchronous so lines stay in order.</summary>
    /// <summary>Why a run made no pair, from its skips: the crop larger than every image, flat or unreadable images, or no images.</summary>
    internal static string NoPairsReason(DegradeSummary summary, int cropSize)
    {
        if (summary.Skipped.Count == 0)
        {
            return "The input holds no PNG, JPEG or WebP image.";
        }

        int failed = summary.ImagesFailed;
        int small = summary.Skipped.Count(s => !s.Failed && s.Reason.Contains("smaller than", StringComparison.Ordinal));
        int flat = summary.Skipped.Count - failed - small;
        var parts = new List<string>();
        if (small > 0)
        {
            parts.Add($"{small} image(s) smaller than the {cropSize}x{cropSize} crop (choose a smaller --crop)");
        }

        if (flat > 0)
        {
            parts.Add($"{flat} image(s) flat everywhere");
        }

        if (failed > 0)
        {
            parts.Add($"{failed} image(s) could not be read");
        }

        return $"Every image was skipped: {string.Join("; ", parts)}.";
    }

    private sealed class LineProgress(TextWriter error) : IProgress<DegradeProgress>
    {
        public void Report(DegradeProgress value) => error.WriteLine(value.Skip is { } skip
            ? $"[{value.ImagesDone}/{value.ImagesTotal}] {(skip.Failed ? "FAIL" : "skip")}  {Path.GetFileName(value.CurrentFile)}: {skip.Reason}"
            : $"[{value.ImagesDone}/{value.ImagesTotal}] {value.PairsWritten} pairs  {Path.GetFileName(value.CurrentFile)}");
    }
}
