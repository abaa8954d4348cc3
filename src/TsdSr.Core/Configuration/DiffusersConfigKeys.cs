using System.Text.Json;

namespace TsdSr.Core.Configuration;

/// <summary>
/// The warnings a diffusers <c>config.json</c> deserves although it loads: keys this port does not know (a typo, or a
/// newer diffusers option that would be silently ignored) and a <c>_class_name</c> naming another model (the file was
/// likely copied from the wrong folder). Keys starting with '_' are diffusers' own bookkeeping and are not reported.
/// </summary>
public static class DiffusersConfigKeys
{
    /// <summary>The sentences to warn with, empty when the config is exactly what the model expects.</summary>
    /// <param name="root">The config's root object.</param>
    /// <param name="className">The diffusers class this config must describe (e.g. <c>SD3Transformer2DModel</c>).</param>
    /// <param name="knownKeys">The keys the model reads.</param>
    /// <param name="source">Names the file.</param>
    public static IReadOnlyList<string> Check(JsonElement root, string className, IReadOnlyCollection<string> knownKeys, string source)
    {
        ArgumentNullException.ThrowIfNull(knownKeys);
        var warnings = new List<string>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            return warnings;
        }

        if (root.TryGetProperty("_class_name", out var declared)
            && !(declared.ValueKind == JsonValueKind.String && declared.GetString() == className))
        {
            warnings.Add($"{source}: _class_name is {declared.GetRawText()}, expected \"{className}\"; the file may belong to another model.");
        }

        foreach (var p in root.EnumerateObject())
        {
            if (!p.Name.StartsWith('_') && !knownKeys.Contains(p.Name))
            {
                warnings.Add($"{source}: unknown key '{p.Name}' is ignored.");
            }
        }

        return warnings;
    }
}
