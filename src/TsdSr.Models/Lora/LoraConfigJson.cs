using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TsdSr.Models.Lora;

/// <summary>
/// Reads and writes PEFT's <c>LoraConfig</c> dict: <c>adapter_config.json</c> (unprefixed) and diffusers'
/// <c>lora_adapter_metadata</c> safetensors header entry (every key prefixed with the component, e.g.
/// <c>"transformer.r"</c>; PEFT / diffusers convention).
/// </summary>
public static class LoraConfigJson
{
    /// <summary>The safetensors header metadata key diffusers writes the config under.</summary>
    public const string MetadataKey = "lora_adapter_metadata";

    /// <summary>PEFT's config file name next to <c>adapter_model.safetensors</c>.</summary>
    public const string AdapterConfigFileName = "adapter_config.json";

    /// <summary>
    /// Parses a PEFT LoraConfig dict. With a component prefix, keys <c>{prefix}.x</c> are used when present; otherwise
    /// the unprefixed keys are. Missing <c>r</c> / <c>lora_alpha</c> take PEFT's defaults (8, 8).
    /// </summary>
    /// <param name="json">The JSON object text.</param>
    /// <param name="componentPrefix">Component prefix such as "transformer", or null.</param>
    /// <param name="source">What the JSON came from, for error messages.</param>
    /// <exception cref="FormatException">The JSON is not a LoraConfig dict.</exception>
    /// <exception cref="NotSupportedException">The config asks for DoRA.</exception>
    public static LoraConfig Parse(string json, string? componentPrefix = null, string source = "LoRA config")
    {
        ArgumentNullException.ThrowIfNull(json);
        using var doc = ParseDocument(json, source);
        var fields = SelectFields(doc.RootElement, componentPrefix);
        try
        {
            if (fields.TryGetValue("use_dora", out var dora) && dora.ValueKind == JsonValueKind.True)
            {
                throw new NotSupportedException($"{source}: DoRA adapters (use_dora = true) are not supported.");
            }

            var config = new LoraConfig();
            if (fields.TryGetValue("r", out var r))
            {
                config = config with { Rank = (int)r.GetDouble() };
            }

            if (fields.TryGetValue("lora_alpha", out var alpha))
            {
                config = config with { Alpha = alpha.GetDouble() };
            }

            if (fields.TryGetValue("target_modules", out var targets))
            {
                config = targets.ValueKind switch
                {
                    JsonValueKind.Array => config with { TargetModules = targets.EnumerateArray().Select(t => t.GetString()!).ToArray() },
                    JsonValueKind.String => config with { TargetModulesRegex = targets.GetString() },
                    _ => config,
                };
            }

            if (fields.TryGetValue("rank_pattern", out var rp) && rp.ValueKind == JsonValueKind.Object)
            {
                config = config with { RankPattern = rp.EnumerateObject().ToDictionary(p => p.Name, p => (int)p.Value.GetDouble(), StringComparer.Ordinal) };
            }

            if (fields.TryGetValue("alpha_pattern", out var ap) && ap.ValueKind == JsonValueKind.Object)
            {
                config = config with { AlphaPattern = ap.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble(), StringComparer.Ordinal) };
            }

            if (fields.TryGetValue("use_rslora", out var rs))
            {
                config = config with { UseRsLora = rs.ValueKind == JsonValueKind.True };
            }

            if (fields.TryGetValue("lora_bias", out var lb))
            {
                config = config with { LoraBias = lb.ValueKind == JsonValueKind.True };
            }

            if (fields.TryGetValue("init_lora_weights", out var init))
            {
                config = config with { Init = ParseInit(init) };
            }

            return config;
        }
        catch (InvalidOperationException e)
        {
            throw new FormatException($"{source}: a LoraConfig field has the wrong JSON type ({e.Message}).", e);
        }
    }

    /// <summary>Reads <c>adapter_config.json</c>.</summary>
    public static LoraConfig ReadFile(string path) => Parse(TsdSr.Core.Files.RegularFile.ReadSmallText(path, "LoRA adapter config"), null, path);

    /// <summary>
    /// Writes the config as PEFT's dict (sorted keys, two-space indent, like diffusers' <c>json.dumps(indent=2,
    /// sort_keys=True)</c>), every key prefixed with <paramref name="componentPrefix"/> when given.
    /// </summary>
    public static string Write(LoraConfig config, string? componentPrefix = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var p = string.IsNullOrEmpty(componentPrefix) ? string.Empty : componentPrefix + ".";
        var fields = new SortedDictionary<string, Action<Utf8JsonWriter>>(StringComparer.Ordinal)
        {
            [p + "alpha_pattern"] = w => WriteMap(w, config.AlphaPattern, (w2, v) => w2.WriteNumberValue(v)),
            [p + "bias"] = w => w.WriteStringValue("none"),
            [p + "init_lora_weights"] = w => WriteInit(w, config.Init),
            [p + "lora_alpha"] = w => WriteNumber(w, config.Alpha),
            [p + "lora_bias"] = w => w.WriteBooleanValue(config.LoraBias),
            [p + "lora_dropout"] = w => w.WriteRawValue("0.0"),
            [p + "peft_type"] = w => w.WriteStringValue("LORA"),
            [p + "r"] = w => w.WriteNumberValue(config.Rank),
            [p + "rank_pattern"] = w => WriteMap(w, config.RankPattern, (w2, v) => w2.WriteNumberValue(v)),
            [p + "target_modules"] = w => WriteTargets(w, config),
            [p + "use_dora"] = w => w.WriteBooleanValue(false),
            [p + "use_rslora"] = w => w.WriteBooleanValue(config.UseRsLora),
        };
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            foreach (var (key, write) in fields)
            {
                w.WritePropertyName(key);
                write(w);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static JsonDocument ParseDocument(string json, string source)
    {
        try
        {
            var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                doc.Dispose();
                throw new FormatException($"{source}: the LoRA config is not a JSON object.");
            }

            return doc;
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: the LoRA config is not valid JSON ({e.Message}).", e);
        }
    }

    private static Dictionary<string, JsonElement> SelectFields(JsonElement root, string? componentPrefix)
    {
        var all = root.EnumerateObject().ToList();
        if (!string.IsNullOrEmpty(componentPrefix))
        {
            var p = componentPrefix + ".";
            var prefixed = all.Where(f => f.Name.StartsWith(p, StringComparison.Ordinal)).ToList();
            if (prefixed.Count > 0)
            {
                return prefixed.ToDictionary(f => f.Name[p.Length..], f => f.Value.Clone(), StringComparer.Ordinal);
            }
        }

        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var f in all)
        {
            result[f.Name] = f.Value.Clone();
        }

        return result;
    }

    private static LoraInit ParseInit(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.False => LoraInit.Random,
        JsonValueKind.String when e.GetString() == "gaussian" => LoraInit.Gaussian,
        _ => LoraInit.Default,
    };

    private static void WriteInit(Utf8JsonWriter w, LoraInit init)
    {
        switch (init)
        {
            case LoraInit.Gaussian:
                w.WriteStringValue("gaussian");
                break;
            default:
                w.WriteBooleanValue(init == LoraInit.Default);
                break;
        }
    }

    private static void WriteNumber(Utf8JsonWriter w, double value)
    {
        if (value == Math.Floor(value) && Math.Abs(value) < 1e15)
        {
            w.WriteNumberValue((long)value);
        }
        else
        {
            w.WriteRawValue(value.ToString("R", CultureInfo.InvariantCulture));
        }
    }

    private static void WriteTargets(Utf8JsonWriter w, LoraConfig config)
    {
        if (config.TargetModulesRegex is not null)
        {
            w.WriteStringValue(config.TargetModulesRegex);
            return;
        }

        w.WriteStartArray();
        foreach (var t in config.TargetModules.Order(StringComparer.Ordinal))
        {
            w.WriteStringValue(t);
        }

        w.WriteEndArray();
    }

    private static void WriteMap<T>(Utf8JsonWriter w, IReadOnlyDictionary<string, T> map, Action<Utf8JsonWriter, T> writeValue)
    {
        w.WriteStartObject();
        foreach (var (k, v) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.WritePropertyName(k);
            writeValue(w, v);
        }

        w.WriteEndObject();
    }
}
