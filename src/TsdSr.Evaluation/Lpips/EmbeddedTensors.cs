using System.Buffers.Binary;
using System.Text.Json;

namespace TsdSr.Evaluation.Lpips;

/// <summary>Reads the small float32 safetensors files embedded in this assembly (LPIPS heads, scaling layer).</summary>
internal static class EmbeddedTensors
{
    /// <summary>Tensor name → (shape, float32 values) of an embedded F32 safetensors resource.</summary>
    public static Dictionary<string, (long[] Shape, float[] Data)> Read(string resourceName)
    {
        using var s = typeof(EmbeddedTensors).Assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{resourceName}' is missing from {typeof(EmbeddedTensors).Assembly.GetName().Name}.");
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        var bytes = ms.ToArray();
        long headerLen = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        var header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLen));
        var result = new Dictionary<string, (long[], float[])>(StringComparer.Ordinal);
        foreach (var p in header.RootElement.EnumerateObject())
        {
            if (p.Name == "__metadata__")
            {
                continue;
            }

            if (p.Value.GetProperty("dtype").GetString() != "F32")
            {
                throw new InvalidDataException($"Embedded tensor '{p.Name}' in '{resourceName}' is not F32.");
            }

            var shape = p.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var offsets = p.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            int start = (int)(8 + headerLen + offsets[0]), count = (int)((offsets[1] - offsets[0]) / 4);
            var data = new float[count];
            for (int i = 0; i < count; i++)
            {
                data[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(start + (4 * i), 4));
            }

            result[p.Name] = (shape, data);
        }

        return result;
    }
}
