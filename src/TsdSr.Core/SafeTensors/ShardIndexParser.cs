using System.Text.Json;

namespace TsdSr.Core.SafeTensors;

/// <summary>Parses and validates a Hugging Face <c>*.safetensors.index.json</c> (<c>weight_map</c> and <c>metadata</c>).</summary>
internal static class ShardIndexParser
{
    /// <summary>Real indexes are a few hundred kB; anything far larger is not an index.</summary>
    private const long MaxIndexBytes = 64L << 20;

    public static (Dictionary<string, string> WeightMap, Dictionary<string, string> Metadata) Parse(string fullPath)
    {
        if (Files.RegularFile.Problem(fullPath) is { } problem)
        {
            throw new SafetensorsFormatException(fullPath, problem);
        }

        var length = new FileInfo(fullPath).Length;
        if (length > MaxIndexBytes)
        {
            throw new SafetensorsFormatException(fullPath, $"the checkpoint index has {length} bytes, more than the {MaxIndexBytes} accepted.");
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(fullPath), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new SafetensorsFormatException(fullPath, $"the checkpoint index is not valid JSON ({e.Message}).", e);
        }

        using (doc)
        {
            try
            {
                return ParseRoot(fullPath, doc.RootElement);
            }
            catch (InvalidOperationException e)
            {
                throw new SafetensorsFormatException(fullPath, $"the checkpoint index holds an undecodable JSON value ({e.Message}).", e);
            }
        }
    }

    /// <summary>True when <paramref name="name"/> is a plain file name: no folder part, no "." or "..", not rooted.</summary>
    internal static bool IsPlainFileName(string name) =>
        name.Length > 0
        && name != "." && name != ".."
        && name.IndexOfAny(['/', '\\', ':', '\0']) < 0
        && !Path.IsPathRooted(name);

    private static (Dictionary<string, string>, Dictionary<string, string>) ParseRoot(string path, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new SafetensorsFormatException(path, $"the checkpoint index is a JSON {root.ValueKind}, not an object.");
        }

        JsonElement? weightMap = null;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in root.EnumerateObject())
        {
            if (p.Name == "weight_map")
            {
                weightMap = weightMap is null ? p.Value : throw new SafetensorsFormatException(path, "weight_map appears twice.");
            }
            else if (p.Name == "metadata" && p.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var m in p.Value.EnumerateObject())
                {
                    metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : m.Value.GetRawText();
                }
            }
        }

        if (weightMap is not { ValueKind: JsonValueKind.Object } wm)
        {
            throw new SafetensorsFormatException(path, "the checkpoint index has no weight_map object.");
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in wm.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String)
            {
                throw new SafetensorsFormatException(path, $"weight_map entry '{p.Name}' is a JSON {p.Value.ValueKind}, not a file name.");
            }

            var shard = p.Value.GetString()!;
            if (!IsPlainFileName(shard))
            {
                throw new SafetensorsFormatException(path, $"weight_map entry '{p.Name}' names shard '{shard}', which is not a plain file name in the index's folder.");
            }

            if (!map.TryAdd(p.Name, shard))
            {
                throw new SafetensorsFormatException(path, $"weight_map key '{p.Name}' appears twice.");
            }
        }

        if (map.Count == 0)
        {
            throw new SafetensorsFormatException(path, "the checkpoint index's weight_map is empty.");
        }

        return (map, metadata);
    }
}
