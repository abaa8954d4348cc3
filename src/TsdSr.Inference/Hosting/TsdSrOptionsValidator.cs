using System.Globalization;
using Microsoft.Extensions.Options;

namespace TsdSr.Inference.Hosting;

/// <summary>
/// The rules of <see cref="TsdSrOptions"/> that DataAnnotations cannot express: the per-image defaults' ranges
/// (<see cref="UpscaleSettings.Problems"/>, the same as every call's), the tile overlap below the model's default tile,
/// the three weight folders exist, the device name's syntax. Every failure names the option and value.
/// </summary>
public sealed class TsdSrOptionsValidator : IValidateOptions<TsdSrOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TsdSrOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (options.UsesBundledModel)
        {
            if (BundledModel.TryFind() is null)
            {
                failures.Add(TsdSrOptions.NoModelMessage);
            }
        }
        else
        {
            CheckGiven(failures, nameof(TsdSrOptions.ModelDirectory), options.ModelDirectory, "the SD3-medium diffusers folder with transformer/ and vae/");
            CheckGiven(failures, nameof(TsdSrOptions.LoraDirectory), options.LoraDirectory, "the TSD-SR LoRA folder with transformer.safetensors and vae.safetensors");
            CheckGiven(failures, nameof(TsdSrOptions.EmbeddingsDirectory), options.EmbeddingsDirectory, "the folder with prompt_embeds.pt and pool_embeds.pt");
            CheckExists(failures, nameof(TsdSrOptions.ModelDirectory), options.ModelDirectory, allowFile: true, "the SD3-medium diffusers folder");
            CheckExists(failures, nameof(TsdSrOptions.LoraDirectory), options.LoraDirectory, allowFile: false, "the TSD-SR LoRA folder");
            CheckExists(failures, nameof(TsdSrOptions.EmbeddingsDirectory), options.EmbeddingsDirectory, allowFile: true, "the prompt-embeddings folder");
        }

        if (!IsValidDevice(options.Device))
        {
            failures.Add($"Device '{options.Device}' is not valid: use auto, cpu, cuda or cuda:N (N a non-negative integer).");
        }

        if (options.VaeSpillDirectory is { } spill && !Directory.Exists(spill))
        {
            failures.Add($"VaeSpillDirectory '{spill}' does not exist: create it, or leave it unset for the system's temporary folder.");
        }

        // The per-image defaults are checked by the same rules as every call's settings.
        failures.AddRange(options.ToUpscaleSettings().Problems());
        if (options.LatentTileOverlap is { } overlap && options.LatentTileSize is null && DefaultLatentTile(options.ModelDirectory) is var size && overlap >= size)
        {
            failures.Add($"LatentTileOverlap ({overlap}) must be smaller than LatentTileSize ({size}).");
        }

        if (!Enum.IsDefined(options.Dtype) || (options.TransformerDtype is { } t && !Enum.IsDefined(t)) || (options.VaeDtype is { } v && !Enum.IsDefined(v)))
        {
            failures.Add("The dtypes must hold defined values (auto, fp32, bf16 or fp16).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Whether <paramref name="device"/> is <c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> (case-insensitive).</summary>
    public static bool IsValidDevice(string? device)
    {
        if (string.IsNullOrWhiteSpace(device))
        {
            return false;
        }

        var d = device.Trim().ToLowerInvariant();
        if (d is "auto" or "cpu" or "cuda")
        {
            return true;
        }

        return d.StartsWith("cuda:", StringComparison.Ordinal) && d.Length > 5 && d.AsSpan(5).IndexOfAnyExceptInRange('0', '9') < 0
            && int.TryParse(d.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }

    /// <summary>
    /// Runs the DataAnnotations and the cross-field rules, for options that did not come through the options pipeline
    /// (e.g. <c>Options.Create</c> outside a container).
    /// </summary>
    /// <exception cref="OptionsValidationException">Some rule failed; the failures list every one.</exception>
    internal static void ThrowIfInvalid(TsdSrOptions options)
    {
        var failures = new List<string>();
        foreach (IValidateOptions<TsdSrOptions> validator in new IValidateOptions<TsdSrOptions>[] { new DataAnnotationValidateOptions<TsdSrOptions>(null), new TsdSrOptionsValidator() })
        {
            var result = validator.Validate(Microsoft.Extensions.Options.Options.DefaultName, options);
            if (result.Failed)
            {
                failures.AddRange(result.Failures ?? [result.FailureMessage]);
            }
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Microsoft.Extensions.Options.Options.DefaultName, typeof(TsdSrOptions), failures);
        }
    }

    private static void CheckGiven(List<string> failures, string option, string path, string what)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            failures.Add($"{option} is required when the other weight folders are set: {what} (leave all three empty for the bundled model).");
        }
    }

    private static void CheckExists(List<string> failures, string option, string path, bool allowFile, string what)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return; // CheckGiven reports it.
        }

        var full = Path.GetFullPath(path);
        if (!Directory.Exists(full) && !(allowFile && File.Exists(full)))
        {
            failures.Add($"{option} '{full}' does not exist ({what}).");
        }
    }

    /// <summary>
    /// The default latent tile (512 pixels' worth) of the model's VAE; SD3's 8× factor (the reference's 64) when the VAE
    /// config cannot be read here (a missing model is reported by its own check).
    /// </summary>
    private static int DefaultLatentTile(string modelDirectory)
    {
        int factor = 8;
        try
        {
            var folder = string.IsNullOrEmpty(modelDirectory) ? BundledModel.TryFind()?.ModelDirectory : modelDirectory;
            if (folder is not null)
            {
                factor = TsdSr.Models.Autoencoders.AutoencoderKLConfig.FromFile(TsdSr.Core.Layout.DiffusersLayout.Resolve(folder, "vae").ConfigPath).DownsampleFactor;
            }
        }
        catch (Exception e) when (e is IOException or FormatException or ArgumentException or UnauthorizedAccessException)
        {
            // Keep SD3's factor.
        }

        return new UpscaleSettings().LatentTiling(factor).Size;
    }
}
