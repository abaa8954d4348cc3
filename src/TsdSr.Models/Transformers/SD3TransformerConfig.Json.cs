using System.Text.Json;
using TsdSr.Core.Configuration;
using TsdSr.Core.Files;

namespace TsdSr.Models.Transformers;

/// <summary>Reading a diffusers <c>transformer/config.json</c>.</summary>
public sealed partial record SD3TransformerConfig
{
    /// <summary>The diffusers class name a transformer config declares.</summary>
    public const string ClassName = "SD3Transformer2DModel";

    /// <summary>The keys this port reads; others are reported as warnings.</summary>
    public static IReadOnlyCollection<string> KnownKeys { get; } =
    [
        "sample_size", "patch_size", "in_channels", "out_channels", "num_layers", "attention_head_dim", "num_attention_heads",
        "joint_attention_dim", "caption_projection_dim", "pooled_projection_dim", "pos_embed_max_size", "dual_attention_layers", "qk_norm",
    ];

    /// <summary>Reads and validates a diffusers <c>config.json</c> file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="warnings">Receives unknown keys and a wrong <c>_class_name</c> (see <see cref="DiffusersConfigKeys"/>); null ignores them.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="FormatException">A key is missing or has a wrong value; the message names the file and key.</exception>
    public static SD3TransformerConfig FromFile(string path, ICollection<string>? warnings = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Transformer config not found: '{path}'.", path);
        }

        return FromJson(RegularFile.ReadSmallText(path, "Transformer config"), path, warnings);
    }

    /// <summary>
    /// Parses and validates the JSON of a diffusers <c>config.json</c>. Unknown keys (<c>_class_name</c>,
    /// <c>_diffusers_version</c>, …) are ignored; <c>out_channels</c> null or absent means in_channels,
    /// <c>dual_attention_layers</c> absent means none, <c>qk_norm</c> absent means null; every other field is required.
    /// </summary>
    /// <param name="json">The file content.</param>
    /// <param name="source">Names the file in error messages.</param>
    /// <param name="warnings">Receives unknown keys and a wrong <c>_class_name</c>; null ignores them.</param>
    /// <exception cref="FormatException">Invalid JSON, a missing key or a wrong value; the message names the key.</exception>
    public static SD3TransformerConfig FromJson(string json, string source = "config.json", ICollection<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: not valid JSON ({e.Message}).", e);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{source}: the config must be a JSON object.");
            }

            foreach (var w in DiffusersConfigKeys.Check(root, ClassName, KnownKeys, source))
            {
                warnings?.Add(w);
            }

            var inChannels = RequiredInt(root, "in_channels", source);
            var config = new SD3TransformerConfig
            {
                SampleSize = RequiredInt(root, "sample_size", source),
                PatchSize = RequiredInt(root, "patch_size", source),
                InChannels = inChannels,
                OutChannels = OptionalInt(root, "out_channels", source) ?? inChannels,
                NumLayers = RequiredInt(root, "num_layers", source),
                AttentionHeadDim = RequiredInt(root, "attention_head_dim", source),
                NumAttentionHeads = RequiredInt(root, "num_attention_heads", source),
                JointAttentionDim = RequiredInt(root, "joint_attention_dim", source),
                CaptionProjectionDim = RequiredInt(root, "caption_projection_dim", source),
                PooledProjectionDim = RequiredInt(root, "pooled_projection_dim", source),
                PosEmbedMaxSize = RequiredInt(root, "pos_embed_max_size", source),
                DualAttentionLayers = IntList(root, "dual_attention_layers", source),
                QkNorm = OptionalString(root, "qk_norm", source),
            };

            try
            {
                config.Validate();
            }
            catch (ArgumentException e)
            {
                throw new FormatException($"{source}: {e.Message}", e);
            }

            return config;
        }
    }

    private static int RequiredInt(JsonElement root, string key, string source) =>
        OptionalInt(root, key, source) ?? throw new FormatException($"{source}: required key '{key}' is missing or null.");

    private static int? OptionalInt(JsonElement root, string key, string source)
    {
        if (!root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return ToInt(value, key, source);
    }

    private static int ToInt(JsonElement value, string key, string source) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i)
            ? i
            : throw new FormatException($"{source}: '{key}' must be an integer, got {value.GetRawText()}.");

    private static string? OptionalString(JsonElement root, string key, string source)
    {
        if (!root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new FormatException($"{source}: '{key}' must be a string or null, got {value.GetRawText()}.");
    }

    private static int[] IntList(JsonElement root, string key, string source)
    {
        if (!root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{source}: '{key}' must be a list of integers, got {value.GetRawText()}.");
        }

        return value.EnumerateArray().Select(e => ToInt(e, key, source)).ToArray();
    }
}
