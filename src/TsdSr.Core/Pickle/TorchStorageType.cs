using TorchSharp;

namespace TsdSr.Core.Pickle;

/// <summary>A typed PyTorch storage class (<c>torch.FloatStorage</c>, ...) and its element type.</summary>
/// <param name="ClassName">The class name in <c>torch</c>, e.g. <c>FloatStorage</c>.</param>
/// <param name="ScalarType">The element type.</param>
/// <param name="ElementSize">Bytes per element.</param>
/// <param name="SafetensorsDType">The matching safetensors dtype name.</param>
public sealed record TorchStorageType(string ClassName, torch.ScalarType ScalarType, int ElementSize, string SafetensorsDType)
{
    private static readonly Dictionary<string, TorchStorageType> Known = new TorchStorageType[]
    {
        new("DoubleStorage", torch.ScalarType.Float64, 8, "F64"),
        new("FloatStorage", torch.ScalarType.Float32, 4, "F32"),
        new("HalfStorage", torch.ScalarType.Float16, 2, "F16"),
        new("BFloat16Storage", torch.ScalarType.BFloat16, 2, "BF16"),
        new("LongStorage", torch.ScalarType.Int64, 8, "I64"),
        new("IntStorage", torch.ScalarType.Int32, 4, "I32"),
        new("ShortStorage", torch.ScalarType.Int16, 2, "I16"),
        new("CharStorage", torch.ScalarType.Int8, 1, "I8"),
        new("ByteStorage", torch.ScalarType.Byte, 1, "U8"),
        new("BoolStorage", torch.ScalarType.Bool, 1, "BOOL"),
    }.ToDictionary(t => t.ClassName, StringComparer.Ordinal);

    /// <summary>The storage classes that may appear in a checkpoint.</summary>
    public static IReadOnlyCollection<string> SupportedClassNames => Known.Keys;

    /// <summary>Looks up a storage class by its name in module <c>torch</c>.</summary>
    public static bool TryGet(string className, out TorchStorageType type) => Known.TryGetValue(className, out type!);
}
