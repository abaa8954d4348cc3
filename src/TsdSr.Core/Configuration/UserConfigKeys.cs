using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TsdSr.Core.Configuration;

/// <summary>
/// Finds every key of a configuration file that its type does not have, at any depth, each with the nearest valid key
/// at that place. The serializer stops at the first unknown key; a user with three typos wants all three at once.
/// </summary>
public static class UserConfigKeys
{
    /// <summary>One line per unknown key: <c>path: unknown key 'x' (did you mean 'y'?)</c>, in file order.</summary>
    /// <param name="root">The parsed file.</param>
    /// <param name="type">The type the file deserialises into.</param>
    /// <param name="options">The serializer options (their naming policy names the keys).</param>
    public static IReadOnlyList<string> Unknown(JsonElement root, Type type, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        Walk(root, type, options, string.Empty, problems);
        return problems;
    }

    /// <summary>The JSON names of <paramref name="type"/>'s settable public properties.</summary>
    public static IReadOnlyDictionary<string, Type> KeysOf(Type type, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(options);
        var keys = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetCustomAttribute<JsonIgnoreAttribute>() is { Condition: JsonIgnoreCondition.Always } || p.GetIndexParameters().Length > 0
                || (p.SetMethod is null && p.GetCustomAttribute<JsonIncludeAttribute>() is null))
            {
                continue;
            }

            var name = p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? options.PropertyNamingPolicy?.ConvertName(p.Name) ?? p.Name;
            keys[name] = p.PropertyType;
        }

        return keys;
    }

    /// <summary>The candidate closest to <paramref name="key"/> by edit distance, or null when none is plausibly meant.</summary>
    public static string? Nearest(string key, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(candidates);
        var best = candidates.Select(c => (Key: c, Distance: Distance(key, c))).OrderBy(c => c.Distance).ThenBy(c => c.Key, StringComparer.Ordinal).FirstOrDefault();
        // More than about a third of the key changed is a different word, not a typo.
        return best.Key is not null && best.Distance <= Math.Max(2, key.Length / 3) ? best.Key : null;
    }

    private static void Walk(JsonElement element, Type type, JsonSerializerOptions options, string path, List<string> problems)
    {
        if (element.ValueKind != JsonValueKind.Object || !IsSection(type))
        {
            return;
        }

        var keys = KeysOf(type, options);
        foreach (var property in element.EnumerateObject())
        {
            var here = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
            if (keys.TryGetValue(property.Name, out var child))
            {
                Walk(property.Value, Nullable.GetUnderlyingType(child) ?? child, options, here, problems);
                continue;
            }

            var nearest = Nearest(property.Name, keys.Keys);
            var inSection = path.Length == 0 ? "at the top level" : $"in '{path}'";
            problems.Add(nearest is null
                ? $"{here}: unknown key {inSection}; valid keys: {string.Join(", ", keys.Keys.Order(StringComparer.Ordinal))}."
                : $"{here}: unknown key {inSection} (did you mean '{nearest}'?).");
        }
    }

    // Sections are classes and records with properties; strings, collections and dictionaries hold values, not keys.
    private static bool IsSection(Type type) =>
        type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type);

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
