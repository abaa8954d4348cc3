using System.Text;
using System.Text.Json;

namespace TsdSr.Core.SafeTensors;

/// <summary>
/// Parses and validates a safetensors JSON header. Everything in it is treated as hostile: every failure becomes a
/// <see cref="SafetensorsFormatException"/> naming the file and the offending entry, and nothing is allocated from a
/// claimed size before that size is checked against the file.
/// </summary>
internal static class SafetensorsHeaderParser
{
    /// <summary>Objects nest at most header → entry → array, so anything deeper is malformed (or an attack).</summary>
    private const int JsonMaxDepth = 4;

    /// <summary>libtorch's own limit on tensor rank.</summary>
    private const int MaxRank = 64;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static (Dictionary<string, SafetensorsTensorInfo> Tensors, Dictionary<string, string> Metadata) Parse(
        string path, byte[] headerBytes, long dataLength)
    {
        string json;
        try
        {
            json = StrictUtf8.GetString(headerBytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new SafetensorsFormatException(path, "the header is not valid UTF-8.", e);
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = JsonMaxDepth });
        }
        catch (JsonException e)
        {
            throw new SafetensorsFormatException(path, $"the header is not valid JSON ({e.Message}).", e);
        }

        using (doc)
        {
            try
            {
                return ParseRoot(path, doc.RootElement, dataLength);
            }
            catch (InvalidOperationException e)
            {
                // System.Text.Json reports e.g. unpaired surrogate escapes in names only when they are decoded.
                throw new SafetensorsFormatException(path, $"the header holds an undecodable JSON value ({e.Message}).", e);
            }
        }
    }

    private static (Dictionary<string, SafetensorsTensorInfo>, Dictionary<string, string>) ParseRoot(
        string path, JsonElement root, long dataLength)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new SafetensorsFormatException(path, $"the header is a JSON {root.ValueKind}, not an object.");
        }

        var tensors = new Dictionary<string, SafetensorsTensorInfo>(StringComparer.Ordinal);
        Dictionary<string, string>? metadata = null;
        foreach (var prop in root.EnumerateObject())
        {
            if (prop.Name == "__metadata__")
            {
                if (metadata is not null)
                {
                    throw new SafetensorsFormatException(path, "__metadata__ appears twice in the header.");
                }

                metadata = ParseMetadata(path, prop.Value);
                continue;
            }

            if (tensors.ContainsKey(prop.Name))
            {
                throw new SafetensorsFormatException(path, $"tensor '{prop.Name}' appears twice in the header.");
            }

            tensors[prop.Name] = ParseEntry(path, prop.Name, prop.Value, dataLength);
        }

        CheckOverlaps(path, tensors.Values);
        return (tensors, metadata ?? new Dictionary<string, string>(StringComparer.Ordinal));
    }

    private static Dictionary<string, string> ParseMetadata(string path, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new SafetensorsFormatException(path, $"__metadata__ is a JSON {value.ValueKind}, not an object of strings.");
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var m in value.EnumerateObject())
        {
            if (m.Value.ValueKind != JsonValueKind.String)
            {
                throw new SafetensorsFormatException(path, $"__metadata__ value '{m.Name}' is a JSON {m.Value.ValueKind}, not a string.");
            }

            if (!metadata.TryAdd(m.Name, m.Value.GetString()!))
            {
                throw new SafetensorsFormatException(path, $"__metadata__ key '{m.Name}' appears twice.");
            }
        }

        return metadata;
    }

    private static SafetensorsTensorInfo ParseEntry(string path, string name, JsonElement e, long dataLength)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new SafetensorsFormatException(path, $"entry '{name}' is a JSON {e.ValueKind}, not an object.");
        }

        JsonElement? dtypeElement = null, shapeElement = null, offsetsElement = null;
        foreach (var p in e.EnumerateObject())
        {
            ref JsonElement? slot = ref dtypeElement;
            switch (p.Name)
            {
                case "dtype": slot = ref dtypeElement; break;
                case "shape": slot = ref shapeElement; break;
                case "data_offsets": slot = ref offsetsElement; break;
                default: continue; // unknown fields are tolerated, as the reference reader does
            }

            if (slot is not null)
            {
                throw new SafetensorsFormatException(path, $"entry '{name}' has field '{p.Name}' twice.");
            }

            slot = p.Value;
        }

        if (dtypeElement is not { ValueKind: JsonValueKind.String } dt)
        {
            throw new SafetensorsFormatException(path, $"entry '{name}' has no dtype string.");
        }

        var dtype = dt.GetString()!;
        if (!SafetensorsDType.IsSupported(dtype))
        {
            throw new SafetensorsFormatException(path, $"tensor '{name}' has unsupported dtype '{dtype}' (supported: {string.Join(", ", SafetensorsDType.Supported)}).");
        }

        var shape = ParseShape(path, name, shapeElement);
        var (begin, end) = ParseOffsets(path, name, offsetsElement, dataLength);

        long expected;
        try
        {
            long n = 1;
            foreach (var d in shape)
            {
                n = checked(n * d);
            }

            expected = checked(n * SafetensorsDType.ElementSize(dtype));
        }
        catch (OverflowException)
        {
            throw new SafetensorsFormatException(path, $"tensor '{name}' has shape [{string.Join(", ", shape)}], whose byte size overflows.");
        }

        if (expected != end - begin)
        {
            throw new SafetensorsFormatException(path, $"tensor '{name}' ({dtype} [{string.Join(", ", shape)}]) needs {expected} bytes but its data_offsets span {end - begin}.");
        }

        return new SafetensorsTensorInfo(name, dtype, shape, begin, end);
    }

    private static long[] ParseShape(string path, string name, JsonElement? element)
    {
        if (element is not { ValueKind: JsonValueKind.Array } sh)
        {
            throw new SafetensorsFormatException(path, $"entry '{name}' has no shape array.");
        }

        int rank = sh.GetArrayLength();
        if (rank > MaxRank)
        {
            throw new SafetensorsFormatException(path, $"tensor '{name}' has rank {rank}, more than {MaxRank}.");
        }

        var shape = new long[rank];
        int i = 0;
        foreach (var d in sh.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var v) || v < 0)
            {
                throw new SafetensorsFormatException(path, $"tensor '{name}' has an invalid dimension {d.GetRawText()} in its shape.");
            }

            shape[i++] = v;
        }

        return shape;
    }

    private static (long Begin, long End) ParseOffsets(string path, string name, JsonElement? element, long dataLength)
    {
        if (element is not { ValueKind: JsonValueKind.Array } off || off.GetArrayLength() != 2)
        {
            throw new SafetensorsFormatException(path, $"entry '{name}' has no [begin, end] data_offsets.");
        }

        if (off[0].ValueKind != JsonValueKind.Number || off[1].ValueKind != JsonValueKind.Number
            || !off[0].TryGetInt64(out var begin) || !off[1].TryGetInt64(out var end) || begin < 0)
        {
            throw new SafetensorsFormatException(path, $"tensor '{name}' has invalid data_offsets {off.GetRawText()}.");
        }

        if (end < begin)
        {
            throw new SafetensorsFormatException(path, $"tensor '{name}' has data_offsets [{begin}, {end}]: the end is before the begin.");
        }

        if (end > dataLength)
        {
            throw new SafetensorsFormatException(path, $"tensor '{name}' ends at byte {end} of the data section, which has only {dataLength} bytes (file truncated?).");
        }

        return (begin, end);
    }

    private static void CheckOverlaps(string path, IEnumerable<SafetensorsTensorInfo> entries)
    {
        SafetensorsTensorInfo? previous = null;
        foreach (var t in entries.Where(t => t.ByteLength > 0).OrderBy(t => t.Begin))
        {
            if (previous is not null && t.Begin < previous.End)
            {
                throw new SafetensorsFormatException(path, $"tensors '{previous.Name}' [{previous.Begin}, {previous.End}) and '{t.Name}' [{t.Begin}, {t.End}) overlap in the data section.");
            }

            previous = t;
        }
    }
}
