using TorchSharp;

namespace TsdSr.Core.Devices;

/// <summary>
/// The floating-point dtype names users write (<c>fp32</c>, <c>bf16</c>, <c>fp16</c>) and their torch types: the one
/// parser every command-line option, training config and host setting goes through.
/// </summary>
public static class DtypeNames
{
    /// <summary>The short names, in the order help texts list them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["fp32", "bf16", "fp16"];

    /// <summary>
    /// The dtype <paramref name="text"/> names: <c>fp32</c>/<c>float32</c>/<c>float</c>, <c>bf16</c>/<c>bfloat16</c>,
    /// <c>fp16</c>/<c>float16</c>/<c>half</c> (case-insensitive, surrounding spaces ignored).
    /// </summary>
    /// <exception cref="ArgumentException">Any other text; the message names it and the accepted names.</exception>
    public static torch.ScalarType Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var dtype)
            ? dtype
            : throw new ArgumentException($"Unknown dtype '{text}': use {string.Join(", ", Names.SkipLast(1))} or {Names[^1]}.", nameof(text));
    }

    /// <summary>Parses like <see cref="Parse"/> without throwing.</summary>
    public static bool TryParse(string? text, out torch.ScalarType dtype)
    {
        torch.ScalarType? parsed = text?.Trim().ToLowerInvariant() switch
        {
            "fp32" or "float32" or "float" => torch.ScalarType.Float32,
            "bf16" or "bfloat16" => torch.ScalarType.BFloat16,
            "fp16" or "float16" or "half" => torch.ScalarType.Float16,
            _ => null,
        };
        dtype = parsed ?? default;
        return parsed is not null;
    }

    /// <summary>The short name of <paramref name="dtype"/> (<c>fp32</c>, <c>bf16</c>, <c>fp16</c>).</summary>
    /// <exception cref="ArgumentException">Not one of the three.</exception>
    public static string Name(torch.ScalarType dtype) => dtype switch
    {
        torch.ScalarType.Float32 => "fp32",
        torch.ScalarType.BFloat16 => "bf16",
        torch.ScalarType.Float16 => "fp16",
        _ => throw new ArgumentException($"{dtype} has no short dtype name (fp32, bf16, fp16).", nameof(dtype)),
    };
}
