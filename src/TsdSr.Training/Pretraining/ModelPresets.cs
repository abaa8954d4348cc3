using TsdSr.Models.Autoencoders;
using TsdSr.Models.Transformers;

namespace TsdSr.Training.Pretraining;

/// <summary>Resolves the architecture names of the VAE and teacher stages: a preset name or the path of a diffusers <c>config.json</c>.</summary>
public static class ModelPresets
{
    /// <summary>The VAE preset names.</summary>
    public static IReadOnlyList<string> VaeNames { get; } = ["nano", "tiny", "sd3"];

    /// <summary>The transformer preset names.</summary>
    public static IReadOnlyList<string> TransformerNames { get; } = ["nano", "tiny", "sd3-medium", "sd35-medium"];

    /// <summary>The VAE config a name stands for.</summary>
    /// <exception cref="FileNotFoundException">Neither a preset nor an existing file.</exception>
    /// <exception cref="FormatException">The file is not a valid config.</exception>
    public static AutoencoderKLConfig Vae(string nameOrPath) => nameOrPath switch
    {
        "nano" => AutoencoderKLConfig.Nano,
        "tiny" => AutoencoderKLConfig.Tiny,
        "sd3" => AutoencoderKLConfig.Sd3,
        _ => File.Exists(nameOrPath)
            ? AutoencoderKLConfig.FromFile(nameOrPath)
            : throw new FileNotFoundException($"'{nameOrPath}' is neither a VAE preset ({string.Join(", ", VaeNames)}) nor a config.json file.", nameOrPath),
    };

    /// <summary>The transformer config a name stands for.</summary>
    /// <exception cref="FileNotFoundException">Neither a preset nor an existing file.</exception>
    /// <exception cref="FormatException">The file is not a valid config.</exception>
    public static SD3TransformerConfig Transformer(string nameOrPath) => nameOrPath switch
    {
        "nano" => SD3TransformerConfig.Nano,
        "tiny" => SD3TransformerConfig.Tiny,
        "sd3-medium" => SD3TransformerConfig.Sd3Medium,
        "sd35-medium" => SD3TransformerConfig.Sd35Medium,
        _ => File.Exists(nameOrPath)
            ? SD3TransformerConfig.FromFile(nameOrPath)
            : throw new FileNotFoundException($"'{nameOrPath}' is neither a transformer preset ({string.Join(", ", TransformerNames)}) nor a config.json file.", nameOrPath),
    };
}
