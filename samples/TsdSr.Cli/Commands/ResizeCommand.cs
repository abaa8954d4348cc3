using System.CommandLine;
using TsdSr.Imaging;
using TsdSr.Imaging.Resampling;

namespace TsdSr.Cli.Commands;

/// <summary>
/// <c>tsdsr resize</c>: Pillow-exact bicubic ×N (the interpolation the TSD-SR reference uses for its colour-fix source),
/// the baseline that every upscaler is compared with in <c>tsdsr eval</c>.
/// </summary>
internal static class ResizeCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input") { Description = "An image or a folder of images (PNG, JPEG, BMP, WebP).", Required = true, HelpName = "PATH" };
        var output = new Option<string>("--output") { Description = "Output folder; outputs keep the input's base name, as PNG. Existing files are not replaced.", Required = true, HelpName = "DIR" };
        var scale = new Option<int>("--scale") { Description = "Output / input size ratio.", DefaultValueFactory = _ => 4 };
        var down = new Option<bool>("--down") { Description = "Divide the size by --scale instead (Pillow's antialiased bicubic: the classic low-resolution input of SR benchmarks). Sides must be multiples of --scale." };
        var command = new Command("resize", "Bicubic resizing with Pillow's filter (as the reference): the x4 baseline for tsdsr eval, or --down to make low-resolution inputs.") { input, output, scale, down };
        command.SetAction(parse =>
        {
            int factor = parse.GetValue(scale);
            bool shrink = parse.GetValue(down);
            if (factor is < 1 or > 16)
            {
                Console.Error.WriteLine($"--scale must lie in 1..16, got {factor}.");
                return 2;
            }

            var source = Path.GetFullPath(parse.GetValue(input)!);
            string[] files = Directory.Exists(source)
                ? Directory.EnumerateFiles(source).Where(f => ImageCodec.SupportedExtensions.Contains(Path.GetExtension(f).ToLowerInvariant())).Order(StringComparer.Ordinal).ToArray()
                : File.Exists(source) ? [source] : [];
            if (files.Length == 0)
            {
                Console.Error.WriteLine($"No image at '{source}'.");
                return 2;
            }

            var folder = Path.GetFullPath(parse.GetValue(output)!);
            Directory.CreateDirectory(folder);
            int failed = 0;
            foreach (var file in files)
            {
                var target = Path.Combine(folder, Path.GetFileNameWithoutExtension(file) + ".png");
                if (File.Exists(target))
                {
                    Console.Error.WriteLine($"  skip  {Path.GetFileName(file)}: '{target}' exists (not replaced).");
                    failed++;
                    continue;
                }

                try
                {
                    var image = ImageCodec.Load(file);
                    if (shrink && (image.Width % factor != 0 || image.Height % factor != 0))
                    {
                        throw new ImageFormatException(file, $"{image.Width}x{image.Height} is not a multiple of {factor}.");
                    }

                    var (w, h) = shrink ? (image.Width / factor, image.Height / factor) : (image.Width * factor, image.Height * factor);
                    ImageCodec.SavePng(PillowResize.Bicubic(image, w, h), target);
                    Console.WriteLine($"  ok    {Path.GetFileName(file)}  {image.Width}x{image.Height} -> {w}x{h}");
                }
                catch (Exception e) when (e is IOException or ImageFormatException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"  FAIL  {Path.GetFileName(file)}: {e.Message}");
                    failed++;
                }
            }

            return failed == 0 ? 0 : 1;
        });
        return command;
    }
}
