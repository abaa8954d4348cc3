using System.Text.Json;
using System.Text.Json.Nodes;
using TsdSr.Core.Files;
using TsdSr.Data.Degradation;
using TsdSr.Data.PairFolders;

namespace TsdSr.Data.Runner;

/// <summary>
/// What made a pair folder (<see cref="FileName"/> in its root): the degradation, crop, scale, pairs per image, seed and
/// the list of HR files. Pair <c>n</c> depends only on these, so a run with the same manifest may resume where an
/// interrupted one stopped; any difference would mix two different datasets, and is refused by name.
/// </summary>
internal sealed record DegradeManifest(JsonNode Config, int CropSize, int Scale, int PerImage, ulong Seed, bool WriteLr, IReadOnlyList<string> Inputs)
{
    /// <summary>The manifest's file name in the pair folder.</summary>
    public const string FileName = "degrade.json";

    /// <summary>The manifest of a run with these options over these files.</summary>
    public static DegradeManifest From(DegradeOptions options, DegradationConfig config, IReadOnlyList<string> files) => new(
        JsonSerializer.SerializeToNode(config, DegradationConfigFile.JsonOptions)!,
        options.CropSize,
        config.Scale,
        options.PerImage,
        options.Seed,
        options.WriteLr,
        [.. files.Select(f => Path.GetFullPath(f))]);

    /// <summary>Reads the manifest of <paramref name="root"/>, or null when there is none.</summary>
    /// <exception cref="PairFolderException">The manifest exists but cannot be read.</exception>
    public static DegradeManifest? Read(string root)
    {
        var path = Path.Combine(root, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var node = JsonNode.Parse(RegularFile.ReadSmallText(path, "Degrade manifest"))!.AsObject();
            return new DegradeManifest(
                node["config"]!.DeepClone(),
                node["crop_size"]!.GetValue<int>(),
                node["scale"]!.GetValue<int>(),
                node["per_image"]!.GetValue<int>(),
                node["seed"]!.GetValue<ulong>(),
                node["write_lr"]!.GetValue<bool>(),
                [.. node["inputs"]!.AsArray().Select(n => n!.GetValue<string>())]);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException or InvalidDataException)
        {
            throw new PairFolderException(root, $"'{FileName}' cannot be read ({e.Message}); start again with overwriting.", e);
        }
    }

    /// <summary>Writes the manifest into <paramref name="root"/> (atomically).</summary>
    public void Write(string root)
    {
        var node = new JsonObject
        {
            ["config"] = Config.DeepClone(),
            ["crop_size"] = CropSize,
            ["scale"] = Scale,
            ["per_image"] = PerImage,
            ["seed"] = Seed,
            ["write_lr"] = WriteLr,
            ["inputs"] = new JsonArray([.. Inputs.Select(i => (JsonNode)i)]),
        };
        var path = Path.Combine(root, FileName);
        using var temp = TemporaryFiles.Create(path);
        File.WriteAllText(temp.Path, node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        temp.Commit(path, overwrite: true);
    }

    /// <summary>What differs between this (the folder's) manifest and <paramref name="other"/> (the new run's), one phrase each.</summary>
    public IReadOnlyList<string> Differences(DegradeManifest other)
    {
        var d = new List<string>();
        if (!JsonNode.DeepEquals(Config, other.Config))
        {
            d.Add("the degradation settings");
        }

        void Compare<T>(string name, T a, T b)
        {
            if (!EqualityComparer<T>.Default.Equals(a, b))
            {
                d.Add($"{name} ({a} in the folder, {b} now)");
            }
        }

        Compare("crop size", CropSize, other.CropSize);
        Compare("scale", Scale, other.Scale);
        Compare("pairs per image", PerImage, other.PerImage);
        Compare("seed", Seed, other.Seed);
        Compare("writing lr/", WriteLr, other.WriteLr);
        if (!Inputs.SequenceEqual(other.Inputs, StringComparer.Ordinal))
        {
            d.Add($"the HR images ({Inputs.Count} in the folder's run, {other.Inputs.Count} now, or other files)");
        }

        return d;
    }
}
