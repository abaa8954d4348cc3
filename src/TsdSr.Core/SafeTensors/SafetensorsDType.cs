using TorchSharp;

namespace TsdSr.Core.SafeTensors;

/// <summary>Maps safetensors dtype names to TorchSharp scalar types and element sizes.</summary>
public static class SafetensorsDType
{
    private static readonly Dictionary<string, (torch.ScalarType Type, int Size)> Known = new(StringComparer.Ordinal)
    {
        ["F64"] = (torch.ScalarType.Float64, 8),
        ["F32"] = (torch.ScalarType.Float32, 4),
        ["F16"] = (torch.ScalarType.Float16, 2),
        ["BF16"] = (torch.ScalarType.BFloat16, 2),
        ["I64"] = (torch.ScalarType.Int64, 8),
        ["I32"] = (torch.ScalarType.Int32, 4),
        ["I16"] = (torch.ScalarType.Int16, 2),
        ["I8"] = (torch.ScalarType.Int8, 1),
        ["U8"] = (torch.ScalarType.Byte, 1),
        ["BOOL"] = (torch.ScalarType.Bool, 1),
    };

    /// <summary>The dtype names this library reads and writes.</summary>
    public static IReadOnlyCollection<string> Supported => Known.Keys;

    /// <summary>True when <paramref name="name"/> is a supported safetensors dtype.</summary>
    public static bool IsSupported(string name) => Known.ContainsKey(name);

    /// <summary>The TorchSharp type of a safetensors dtype name.</summary>
    /// <exception cref="NotSupportedException">The dtype is not supported.</exception>
    public static torch.ScalarType ToScalarType(string name) =>
        Known.TryGetValue(name, out var v)
            ? v.Type
            : throw new NotSupportedException(
                $"Safetensors dtype '{name}' is not supported (supported: {string.Join(", ", Known.Keys)}).");

    /// <summary>Bytes per element of a safetensors dtype name.</summary>
    public static int ElementSize(string name) =>
        Known.TryGetValue(name, out var v) ? v.Size : throw new NotSupportedException($"Safetensors dtype '{name}' is not supported.");

    /// <summary>
    /// The kind of values a type holds: "floating point", "integer" or "boolean". Loading converts within a kind
    /// (F16 into F32); across kinds it would turn weights into garbage, so loaders refuse it.
    /// </summary>
    public static string KindOf(torch.ScalarType type) => type switch
    {
        torch.ScalarType.Float64 or torch.ScalarType.Float32 or torch.ScalarType.Float16 or torch.ScalarType.BFloat16 => "floating point",
        torch.ScalarType.Bool => "boolean",
        _ => "integer",
    };

    /// <summary>The kind of a safetensors dtype name (see <see cref="KindOf(torch.ScalarType)"/>).</summary>
    public static string KindOf(string name) => KindOf(ToScalarType(name));

    /// <summary>The safetensors dtype name of a TorchSharp type.</summary>
    public static string FromScalarType(torch.ScalarType type)
    {
        foreach (var (name, v) in Known)
        {
            if (v.Type == type)
            {
                return name;
            }
        }

        throw new NotSupportedException($"Tensors of type {type} cannot be written to safetensors by TsdSr.");
    }
}
