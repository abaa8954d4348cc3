using System.CommandLine;
using TsdSr.Core.Devices;
using TsdSr.Inference;
using TsdSr.Inference.ColorFix;
using TsdSr.Inference.Hosting;

namespace TsdSr.Cli.Commands;

/// <summary><c>tsdsr upscale</c>: the one-step ×4 super-resolution of a file or a folder.</summary>
internal static class UpscaleCommand
{
    // Option defaults come from the library's per-image defaults: stated once, in UpscaleSettings.
    private static readonly UpscaleSettings Defaults = new();

    /// <summary>Builds the command with the real pipeline (<see cref="TsdSrPipelineFactory"/>); its warnings go to standard error.</summary>
    public static Command Create() => Create(() => new TsdSrPipelineFactory(new TextWriterLoggerFactory(Console.Error)));

    /// <summary>Builds the command; <paramref name="factory"/> loads the pipeline when the command runs.</summary>
    public static Command Create(Func<ITsdSrPipelineFactory> factory)
    {
        var model = new Option<string?>("--model") { Description = "SD3-medium diffusers folder (stabilityai/stable-diffusion-3-medium-diffusers) or its Hugging Face cache folder. Leave --model, --lora and --embeddings out to use the bundled TSD-SR-nano model.", HelpName = "DIR" };
        var lora = new Option<string?>("--lora") { Description = "TSD-SR LoRA folder with transformer.safetensors and vae.safetensors.", HelpName = "DIR" };
        var embeddings = new Option<string?>("--embeddings") { Description = "Folder with prompt_embeds.pt and pool_embeds.pt (or embeddings.safetensors).", HelpName = "DIR" };
        var input = new Option<string>("--input") { Description = "An image (PNG, JPEG, BMP, WebP) or a folder of images.", Required = true, HelpName = "PATH" };
        var output = new Option<string>("--output") { Description = "Output folder (outputs keep the input's base name, as PNG), or for a single input a file path whose extension chooses the format (.png, .jpg, .jpeg, .bmp, .webp).", Required = true, HelpName = "PATH" };
        var scale = new Option<int>("--scale") { Description = "Output / input size ratio, 1-16 (the released weights are x4).", DefaultValueFactory = _ => Defaults.Scale };
        var colorFix = new Option<string>("--color-fix") { Description = "Colour correction against the input.", DefaultValueFactory = _ => Defaults.ColorFix.ToString().ToLowerInvariant() };
        colorFix.AcceptOnlyFromAmong("wavelet", "adain", "none");
        var tileSize = new Option<int?>("--latent-tile-size") { Description = "Transformer tile size in latent pixels (default: 512 pixels' worth, 64 for SD3)." };
        var tileOverlap = new Option<int?>("--latent-tile-overlap") { Description = "Transformer tile overlap in latent pixels (default: 64 pixels' worth, 8 for SD3)." };
        var vaeTiling = new Option<string>("--vae-tiling") { Description = "Tile the VAE: auto (when larger than a tile), on, off.", DefaultValueFactory = _ => Defaults.VaeTiling.ToString().ToLowerInvariant() };
        vaeTiling.AcceptOnlyFromAmong("auto", "on", "off");
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda or cuda:N.", DefaultValueFactory = _ => new TsdSrOptions().Device };
        device.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<string>();
            if (!TsdSrOptionsValidator.IsValidDevice(value))
            {
                r.AddError($"--device '{value}' is not valid: use auto, cpu, cuda or cuda:N.");
            }
        });
        var dtype = new Option<string?>("--dtype") { Description = "Precision: fp32, bf16 or fp16 (default fp32 on CPU, fp16 on CUDA)." };
        dtype.AcceptOnlyFromAmong([.. DtypeNames.Names]);
        var seed = new Option<long?>("--seed") { Description = "Sample the VAE posterior with this seed (default: the deterministic mean)." };
        var limits = new UpscaleLimitOptions();

        var command = new Command("upscale", "Super-resolve an image or a folder of images with TSD-SR (one diffusion step).")
        {
            model, lora, embeddings, input, output, scale, colorFix, tileSize, tileOverlap, vaeTiling, device, dtype, seed,
        };
        limits.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = new UpscaleSettings
            {
                Scale = parseResult.GetValue(scale),
                ColorFix = Enum.Parse<ColorFixMode>(parseResult.GetValue(colorFix)!, ignoreCase: true),
                LatentTileSize = parseResult.GetValue(tileSize),
                LatentTileOverlap = parseResult.GetValue(tileOverlap),
                VaeTiling = Enum.Parse<VaeTilingMode>(parseResult.GetValue(vaeTiling)!, ignoreCase: true),
                Seed = parseResult.GetValue(seed),
                MaxProcessPixels = parseResult.GetValue(limits.MaxProcessPixels),
                MaxAspectRatio = parseResult.GetValue(limits.MaxAspectRatio),
            };
            var request = new UpscaleRequest(
                parseResult.GetValue(model) ?? string.Empty,
                parseResult.GetValue(lora) ?? string.Empty,
                parseResult.GetValue(embeddings) ?? string.Empty,
                parseResult.GetValue(input)!,
                parseResult.GetValue(output)!,
                settings)
            {
                Device = parseResult.GetValue(device)!,
                Dtype = parseResult.GetValue(dtype) is { } name ? Enum.Parse<TsdSrDtype>(name, ignoreCase: true) : TsdSrDtype.Auto,   // as the configuration binder reads it
                Overwrite = parseResult.GetValue(limits.Overwrite),
                JpegQuality = parseResult.GetValue(limits.JpegQuality),
                MaxInputPixels = parseResult.GetValue(limits.MaxInputPixels),
                MaxInputFileBytes = parseResult.GetValue(limits.MaxInputFileBytes),
            };
            var config = parseResult.InvocationConfiguration;
            bool interactive = ReferenceEquals(config.Output, Console.Out) && !Console.IsOutputRedirected;
            var runner = new UpscaleRunner(config.Output, config.Error, factory(), interactive);
            return await runner.RunAsync(request, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
