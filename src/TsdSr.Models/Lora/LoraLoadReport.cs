using TsdSr.Core.StateDicts;

namespace TsdSr.Models.Lora;

/// <summary>What a LoRA file load did. Keys are the file's own names.</summary>
/// <param name="Source">The file.</param>
/// <param name="Adapter">The adapter name the file was loaded into.</param>
/// <param name="Modules">Names of the layers that received the adapter.</param>
/// <param name="Unmatched">LoRA keys that fit no LoRA-capable layer (unknown layer, not a LoRA key, a duplicate, …).</param>
/// <param name="Mismatched">Keys whose shape does not fit their layer (expected shape uses the file's rank).</param>
/// <param name="Ignored">Keys skipped on purpose: other components' keys and DoRA <c>dora_scale</c>.</param>
/// <param name="AlphaSource">Where alpha came from.</param>
/// <param name="Config">The config read from metadata or adapter_config.json, or null (alpha = rank).</param>
public sealed record LoraLoadReport(
    string Source,
    string Adapter,
    IReadOnlyList<string> Modules,
    IReadOnlyList<string> Unmatched,
    IReadOnlyList<ShapeMismatch> Mismatched,
    IReadOnlyList<string> Ignored,
    LoraAlphaSource AlphaSource,
    LoraConfig? Config)
{
    /// <summary>
    /// Tensors the file lacks although their partner is present, by the name they would have in the file (a
    /// <c>lora_B.weight</c> whose <c>lora_A.weight</c> is there, or the reverse).
    /// </summary>
    public IReadOnlyList<string> Missing { get; init; } = [];

    /// <summary>Keys whose values are of another kind than the layer's (integers for a float layer, …).</summary>
    public IReadOnlyList<DTypeMismatch> WrongDTypes { get; init; } = [];

    /// <summary>Keys holding NaN or infinite values (found while loading).</summary>
    public IReadOnlyList<string> NonFinite { get; init; } = [];

    /// <summary>True when every LoRA key of the file loaded, with finite values, and no partner tensor is missing.</summary>
    public bool IsExact => Unmatched.Count == 0 && Mismatched.Count == 0 && Missing.Count == 0 && WrongDTypes.Count == 0 && NonFinite.Count == 0;
}
