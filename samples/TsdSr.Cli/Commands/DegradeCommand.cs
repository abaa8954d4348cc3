using System.CommandLine;
using TsdSr.Data.Degradation;
using TsdSr.Data.PairFolders;
using TsdSr.Data.Runner;
using TsdSr.Imaging;

namespace TsdSr.Cli.Commands;

/// <summary><c>tsdsr degrade</c>: writes an offline training pair folder (gt/, lr_bicubic/, lr/) from HR images.</summary>
internal static class DegradeCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input") { Description = "Folder of HR images (PNG, JPEG, WebP; searched recursively).", Required = true };
        var output = new Option<string>("--output") { Description = "Output pair folder; its gt/ must be empty or absent.", Required = true };
        var preset = new Option<string>("--preset") { Description = "Degradation preset: osediff (default), seesr (the one TSD-SR trained with), realesrgan, stablesr.", DefaultValueFactory = _ => "osediff" };
        preset.AcceptOnlyFromAmong([.. DegradationConfig.PresetNames]);
        var crop = new Option<int>("--crop") { Description = "HR crop size in pixels.", DefaultValueFactory = _ => 512 };
        var scale = new Option<int>("--scale") { Description = "Down-scaling factor (4 or 2).", DefaultValueFactory = _ => 4 };
        var perImage = new Option<int>("--per-image") { Description = "Random crops (pairs) per HR image.", DefaultValueFactory = _ => 1 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of crops and degradations (same seed, same pairs).", DefaultValueFactory = _ => 0 };
        var preview = new Option<bool>("--preview") { Description = "Also write preview.png, a contact sheet of the first HR/LR pairs." };

        var command = new Command("degrade", "Make training pairs with the Real-ESRGAN second-order degradation (TSD-SR's offline layout).")
        {
            input, output, preset, crop, scale, perImage, seed, preview,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
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
            };
            try
            {
                var summary = await DegradeRunner.RunAsync(options, new ConsoleProgress(), cancellationToken);
                Console.WriteLine(summary);
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or DirectoryNotFoundException or PairFolderException or ImageFormatException or IOException)
            {
                Console.Error.WriteLine($"degrade: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>Prints one line per HR image on stderr, synchronously so lines stay in order.</summary>
    private sealed class ConsoleProgress : IProgress<DegradeProgress>
    {
        public void Report(DegradeProgress value) =>
            Console.Error.WriteLine($"[{value.ImagesDone}/{value.ImagesTotal}] {value.PairsWritten} pairs  {Path.GetFileName(value.CurrentFile)}");
    }
}
