using System.Text.Json;

namespace TsdSr.Schedulers;

/// <summary>Typed reads of diffusers <c>*_config.json</c> values, with errors that name the file and the key.</summary>
internal static class ConfigJson
{
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

    public static int Int(JsonProperty p, string source) =>
        p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt32(out var v)
            ? v
            : throw Bad(p, "an integer", source);

    public static double Double(JsonProperty p, string source) =>
        p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetDouble() : throw Bad(p, "a number", source);

    public static double? NullableDouble(JsonProperty p, string source) =>
        p.Value.ValueKind == JsonValueKind.Null ? null : Double(p, source);

    public static bool Bool(JsonProperty p, string source) => p.Value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Bad(p, "true or false", source),
    };

    public static string String(JsonProperty p, string source) =>
        p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw Bad(p, "a string", source);

    private static FormatException Bad(JsonProperty p, string expected, string source) =>
        new($"{source}: key '{p.Name}' must be {expected}, got {p.Value.ValueKind} ({p.Value.GetRawText()}).");
}
