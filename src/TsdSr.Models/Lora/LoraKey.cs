namespace TsdSr.Models.Lora;

/// <summary>
/// One parsed LoRA file key: <c>{module}.lora_A.weight</c>, <c>{module}.lora_B.weight</c> or <c>{module}.lora_B.bias</c>
/// (old <c>.lora.down</c> / <c>.lora.up</c> names map to A / B, PEFT / diffusers convention).
/// </summary>
/// <param name="Module">The layer's module path.</param>
/// <param name="IsA">True for A (down), false for B (up).</param>
/// <param name="Parameter">"weight" or "bias".</param>
internal readonly record struct LoraKey(string Module, bool IsA, string Parameter)
{
    public static bool TryParse(string key, out LoraKey parsed)
    {
        parsed = default;
        var k = "." + key.Replace(".lora.down.", ".lora_A.", StringComparison.Ordinal).Replace(".lora.up.", ".lora_B.", StringComparison.Ordinal);
        if (k.StartsWith(".lora.down.", StringComparison.Ordinal) || k.StartsWith(".lora.up.", StringComparison.Ordinal))
        {
            k = k.StartsWith(".lora.down.", StringComparison.Ordinal) ? ".lora_A." + k[".lora.down.".Length..] : ".lora_B." + k[".lora.up.".Length..];
        }

        int ia = k.LastIndexOf(".lora_A.", StringComparison.Ordinal);
        int ib = k.LastIndexOf(".lora_B.", StringComparison.Ordinal);
        int i = Math.Max(ia, ib);
        if (i < 0)
        {
            return false;
        }

        var isA = i == ia;
        var parameter = k[(i + ".lora_A.".Length)..];
        if (!(parameter == "weight" || (!isA && parameter == "bias")))
        {
            return false;
        }

        parsed = new LoraKey(k[1..Math.Max(1, i)], isA, parameter);
        return true;
    }
}
