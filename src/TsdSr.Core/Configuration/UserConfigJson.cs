using System.Text.Json;
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
}
