using System.Text.Json;

namespace TsdSr.Core.Configuration;

/// <summary>Typed reads of diffusers <c>*_config.json</c> values, with errors that name the file and the key.</summary>
public static class ConfigJson
{
    /// <summary>Parses a config file; the root must be an object. Throws <see cref="FormatException"/> naming <paramref name="source"/>.</summary>
    public static JsonDocument Parse(string json, string source)
    {
        try
        {
            var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                doc.Dispose();
                throw new FormatException($"{source}: the root must be a JSON object.");
            }

            return doc;
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: invalid JSON ({e.Message}).", e);
        }
    }

    /// <summary>The value as an int, or a <see cref="FormatException"/> naming the file and key.</summary>
    public static int Int(JsonProperty p, string source) =>
        p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt32(out var v)
            ? v
            : throw Bad(p, "an integer", source);

    /// <summary>The value as a double.</summary>
    public static double Double(JsonProperty p, string source) =>
        p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetDouble() : throw Bad(p, "a number", source);

    /// <summary>The value as a double, or null for JSON null.</summary>
    public static double? NullableDouble(JsonProperty p, string source) =>
        p.Value.ValueKind == JsonValueKind.Null ? null : Double(p, source);

    /// <summary>The value as a bool.</summary>
    public static bool Bool(JsonProperty p, string source) => p.Value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Bad(p, "true or false", source),
    };

    /// <summary>The value as a string.</summary>
    public static string String(JsonProperty p, string source) =>
        p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw Bad(p, "a string", source);

    /// <summary>The value as an array of doubles, or null for JSON null.</summary>
    public static double[]? NullableDoubleArray(JsonProperty p, string source)
    {
        if (p.Value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (p.Value.ValueKind != JsonValueKind.Array || p.Value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.Number))
        {
            throw Bad(p, "null or an array of numbers", source);
        }

        return p.Value.EnumerateArray().Select(e => e.GetDouble()).ToArray();
    }

    /// <summary>The value as an array of ints.</summary>
    public static int[] IntArray(JsonProperty p, string source)
    {
        if (p.Value.ValueKind != JsonValueKind.Array || p.Value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out _)))
        {
            throw Bad(p, "an array of integers", source);
        }

        return p.Value.EnumerateArray().Select(e => e.GetInt32()).ToArray();
    }

    /// <summary>The value as an array of strings.</summary>
    public static string[] StringArray(JsonProperty p, string source)
    {
        if (p.Value.ValueKind != JsonValueKind.Array || p.Value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            throw Bad(p, "an array of strings", source);
        }

        return p.Value.EnumerateArray().Select(e => e.GetString()!).ToArray();
    }

    private static FormatException Bad(JsonProperty p, string expected, string source) =>
        new($"{source}: key '{p.Name}' must be {expected}, got {p.Value.ValueKind} ({p.Value.GetRawText()}).");
}
