using static TorchSharp.torch;

namespace TsdSr.Models.Lora;

/// <summary>Options of <see cref="LoraFile.Load(TorchSharp.torch.nn.Module, string, string, LoraLoadOptions?)"/>.</summary>
public sealed class LoraLoadOptions
{
    /// <summary>
    /// Component prefix stripped from file keys and metadata keys ("transformer" for diffusers SD3 files and for both
    /// TSD-SR files, the VAE one included). When no key carries it, keys are taken as unprefixed. Null: no prefix.
    /// </summary>
    public string? ComponentPrefix { get; init; } = "transformer";

    /// <summary>Throw <see cref="LoraLoadException"/> (before changing the model) unless every LoRA key loads. Default true.</summary>
    public bool Strict { get; init; } = true;

    /// <summary>An explicit <c>adapter_config.json</c>; it overrides the header metadata.</summary>
    public string? AdapterConfigPath { get; init; }

    /// <summary>Use an <c>adapter_config.json</c> next to the file when the header has no LoRA metadata. Default true.</summary>
    public bool UseAdjacentAdapterConfig { get; init; } = true;

    /// <summary>Adapter dtype (default: each base weight's).</summary>
    public ScalarType? AdapterDType { get; init; }

    /// <summary>Make the loaded adapter the only active one. Default true.</summary>
    public bool Activate { get; init; } = true;
}
