using System.CommandLine;
using TorchSharp;
using TsdSr.Core.Layout;
using TsdSr.Imaging;
using TsdSr.Models.Autoencoders;

namespace TsdSr.Cli.Commands;

/// <summary>
/// <c>tsdsr reconstruct</c>: encodes images with a VAE (posterior mean) and decodes them again. The reconstruction is the
/// ceiling of any upscaler built on that VAE; <c>tsdsr eval</c> against the originals measures it.
/// </summary>
internal static class ReconstructCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A diffusers folder with vae/ (or the VAE folder itself).", Required = true, HelpName = "DIR" };
        var input = new Option<string>("--input") { Description = "An image or a folder of images (PNG, JPEG, BMP, WebP).", Required = true, HelpName = "PATH" };
        var output = new Option<string>("--output") { Description = "Output folder; outputs keep the input's base name, as PNG. Existing files are not replaced.", Required = true, HelpName = "DIR" };
        var command = new Command("reconstruct", "Encode and decode images with a VAE (its reconstruction, the ceiling of an upscaler built on it).") { model, input, output };
        command.SetAction(parse =>
        {
            var source = Path.GetFullPath(parse.GetValue(input)!);
            string[] files = Directory.Exists(source)
                ? Directory.EnumerateFiles(source).Where(f => ImageCodec.SupportedExtensions.Contains(Path.GetExtension(f).ToLowerInvariant())).Order(StringComparer.Ordinal).ToArray()
                : File.Exists(source) ? [source] : [];
            if (files.Length == 0)
            {
                Console.Error.WriteLine($"No image at '{source}'.");
                return 2;
            }

            AutoencoderKL vae;
            try
            {
                vae = AutoencoderKL.FromPretrained(DiffusersLayout.Resolve(parse.GetValue(model)!, "vae").Directory);
            }
            catch (Exception e) when (e is IOException or FormatException or ArgumentException or InvalidDataException or Core.StateDicts.WeightLoadException)
            {
                Console.Error.WriteLine($"Could not load the VAE: {e.Message}");
                return 2;
            }

            using (vae)
            {
                var folder = Path.GetFullPath(parse.GetValue(output)!);
                Directory.CreateDirectory(folder);
                int failed = 0;
                int factor = vae.Config.DownsampleFactor;
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
                        if (image.Width % factor != 0 || image.Height % factor != 0)
                        {
                            throw new ImageFormatException(file, $"{image.Width}x{image.Height} is not a multiple of the VAE's factor {factor}.");
                        }

                        using var scope = torch.NewDisposeScope();
                        using var inference = torch.inference_mode();
                        var x = ImageTensors.ToTensor(image).mul(2).sub(1);
                        using var posterior = vae.Encode(x);
                        var y = vae.Decode(posterior.Mode()).clamp(-1, 1).div(2).add(0.5);
                        ImageCodec.SavePng(ImageTensors.FromTensor(y, ByteConversion.Round), target);
                        Console.WriteLine($"  ok    {Path.GetFileName(file)}  {image.Width}x{image.Height}");
                    }
                    catch (Exception e) when (e is IOException or ImageFormatException or UnauthorizedAccessException)
                    {
                        Console.Error.WriteLine($"  FAIL  {Path.GetFileName(file)}: {e.Message}");
                        failed++;
                    }
                }

                return failed == 0 ? 0 : 1;
            }
        });
        return command;
    }
}
