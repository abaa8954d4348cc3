using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace TsdSr.Core.Configuration;

/// <summary>
/// The JSON conventions of TsdSr's own configuration files (training runs, degradation settings): snake_case keys and
/// enum values, comments and trailing commas allowed, unknown keys rejected so a typo is an error, not a silent
/// default.
/// </summary>
public static class UserConfigJson
{
    /// <summary>A new options instance with these conventions (callers may add converters before first use).</summary>
    public static JsonSerializerOptions CreateOptions() => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };

    /// <summary>
    /// Lays a user's file over a base (the serialised defaults): objects merge key by key at every depth, so a partial
    /// section keeps the base's other values; any other value (numbers, strings, lists, null), and a key the base lacks,
    /// replaces the base's. <paramref name="overrides"/> is emptied (its nodes move into <paramref name="target"/>).
    /// </summary>
    public static void MergeOver(JsonObject target, JsonObject overrides)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(overrides);
        foreach (var (key, value) in overrides.ToList())
        {
            overrides.Remove(key);
            if (value is JsonObject inner && target[key] is JsonObject existing)
            {
                MergeOver(existing, inner);
            }
            else
            {
                target[key] = value;
            }
        }
    }
}
