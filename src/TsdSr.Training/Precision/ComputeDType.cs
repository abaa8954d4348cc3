using static TorchSharp.torch;

namespace TsdSr.Training.Precision;

/// <summary>Parses and names the compute dtypes a training run may use for the frozen base weights.</summary>
public static class ComputeDType
{
    /// <summary>"fp32"/"float32", "bf16"/"bfloat16", "fp16"/"float16" (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Any other text.</exception>
    public static ScalarType Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToLowerInvariant() switch
        {
            "fp32" or "float32" or "float" => ScalarType.Float32,
            "bf16" or "bfloat16" => ScalarType.BFloat16,
            "fp16" or "float16" or "half" => ScalarType.Float16,
            _ => throw new ArgumentException($"Unknown dtype '{text}': use fp32, bf16 or fp16.", nameof(text)),
        };
    }

    /// <summary>The short name ("fp32", "bf16", "fp16").</summary>
    /// <exception cref="ArgumentException">Not one of the three.</exception>
    public static string Name(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "fp32",
        ScalarType.BFloat16 => "bf16",
        ScalarType.Float16 => "fp16",
        _ => throw new ArgumentException($"{dtype} is not a training compute dtype.", nameof(dtype)),
    };
}
