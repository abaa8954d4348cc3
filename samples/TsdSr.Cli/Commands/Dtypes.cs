using TorchSharp;

namespace TsdSr.Cli.Commands;

/// <summary>Command-line dtype names.</summary>
internal static class Dtypes
{
    public static torch.ScalarType Parse(string name) => name switch
    {
        "fp32" => torch.ScalarType.Float32,
        "bf16" => torch.ScalarType.BFloat16,
        "fp16" => torch.ScalarType.Float16,
        _ => throw new ArgumentException($"Unknown dtype '{name}' (use fp32, bf16 or fp16)."),
    };
}
