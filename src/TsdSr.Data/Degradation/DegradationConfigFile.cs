using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using TsdSr.Core.Configuration;

namespace TsdSr.Data.Degradation;

/// <summary>
/// Reads a <see cref="DegradationConfig"/> from JSON: the record's properties in snake_case (<c>first.blur.sigma</c> =
/// <c>{"min": 0.2, "max": 3}</c>, <c>granularity</c> = <c>"per_batch"</c>), comments and trailing commas allowed,
/// unknown keys rejected. The file is laid over a base: the preset named by an optional <c>"preset"</c> key, else the
/// record's defaults (the <c>osediff</c> values). Objects are merged key by key at every depth, so a partial
/// <c>"second"</c> keeps the base's other second-stage values; any other value (numbers, strings, lists) replaces the
/// base's. Also resolves the value of a config key that is either a preset name or such a file (<see cref="Resolve"/>).
/// </summary>
public static class DegradationConfigFile
{
    /// <summary>The JSON options used to read and write degradation configs.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = UserConfigJson.CreateOptions();

    /// <summary>The optional key naming the preset a file starts from.</summary>
    public const string PresetKey = "preset";

    /// <summary>True when <paramref name="value"/> names a preset of <see cref="DegradationConfig.FromName"/> (case-insensitive, including the <c>tsdsr</c> and <c>real-esrgan</c> aliases).</summary>
    public static bool IsPresetName(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        try
        {
            DegradationConfig.FromName(value);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>A preset when <paramref name="nameOrPath"/> names one, else the JSON file at that path (<see cref="Load"/>).</summary>
    /// <exception cref="FileNotFoundException">Neither a preset name nor an existing file.</exception>
    /// <exception cref="ArgumentException">The file is not a valid degradation config.</exception>
    public static DegradationConfig Resolve(string nameOrPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        return IsPresetName(nameOrPath) ? DegradationConfig.FromName(nameOrPath) : Load(nameOrPath);
    }

    /// <summary>Reads and validates a degradation config file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">Not valid JSON, unknown keys, wrong types or invalid values (the message names the key).</exception>
    public static DegradationConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"Degradation config not found at '{full}' (and '{path}' is not a preset: {string.Join(", ", DegradationConfig.PresetNames)}).", full);
        }

        return Parse(TsdSr.Core.Files.RegularFile.ReadSmallText(full, "Degradation config"), full);
    }

    /// <summary>Parses and validates JSON text; <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="ArgumentException">Not valid JSON, unknown keys, wrong types or invalid values.</exception>
    public static DegradationConfig Parse(string json, string source = "degradation config")
    {
        ArgumentNullException.ThrowIfNull(json);
        DegradationConfig? config;
        try
        {
            var node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (node is not JsonObject overrides)
            {
                throw new ArgumentException($"{source}: expected a JSON object, got {(node is null ? "null" : node.GetValueKind().ToString().ToLowerInvariant())}.", nameof(json));
            }

            var baseConfig = new DegradationConfig();
            if (overrides.Remove(PresetKey, out var preset))
            {
                var name = preset is JsonValue v && v.TryGetValue(out string? text) ? text
                    : throw new ArgumentException($"{source}: {PresetKey} must be a preset name ({string.Join(", ", DegradationConfig.PresetNames)}).", nameof(json));
                baseConfig = DegradationConfig.FromName(name);
            }

            // Every unknown key at once, each with the nearest valid key, before the serializer stops at the first.
            var unknown = UserConfigKeys.Unknown(JsonSerializer.SerializeToElement(overrides), typeof(DegradationConfig), JsonOptions);
            if (unknown.Count > 0)
            {
                throw new ArgumentException($"{source}: {string.Join(" ", unknown)}", nameof(json));
            }

            var merged = (JsonObject)JsonSerializer.SerializeToNode(baseConfig, JsonOptions)!;
            UserConfigJson.MergeOver(merged, overrides);
            config = merged.Deserialize<DegradationConfig>(JsonOptions);
        }
        catch (JsonException e)
        {
            var where = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? string.Empty : $"{e.Path.TrimStart('$', '.')}: ";
            throw new ArgumentException($"{source}: {where}{e.Message}", nameof(json), e);
        }
        catch (ArgumentException e) when (!e.Message.StartsWith(source + ": ", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{source}: {e.Message}", nameof(json), e);
        }

        if (config is null)
        {
            throw new ArgumentException($"{source}: the file holds 'null', expected an object.", nameof(json));
        }

        try
        {
            return config.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{source}: {e.Message}", nameof(json), e);
        }
    }
}
