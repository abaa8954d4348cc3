namespace TsdSr.Models.Lora;

/// <summary>Where a loaded adapter's alpha came from (PEFT / diffusers convention).</summary>
public enum LoraAlphaSource
{
    /// <summary>The safetensors header's <c>lora_adapter_metadata</c>.</summary>
    Metadata,

    /// <summary>An <c>adapter_config.json</c> (explicit or next to the file).</summary>
    AdapterConfig,

    /// <summary>No config: alpha = rank per layer (scale 1), diffusers' fallback and TSD-SR's setting.</summary>
    Rank,
}
