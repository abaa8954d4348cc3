using System.Text.Json;
using TorchSharp;

namespace TsdSr.Core.SafeTensors;

/// <summary>
/// A checkpoint split over several safetensors files, described by a Hugging Face
/// <c>*.safetensors.index.json</c> (<c>{"metadata": {...}, "weight_map": {key: shard}}</c>).
/// </summary>
public sealed class ShardedSafetensors : ITensorSource
{
    private readonly Dictionary<string, SafetensorsFile> shardByKey;
    private readonly List<SafetensorsFile> shards;
    private readonly Dictionary<string, SafetensorsTensorInfo> tensors;
    private readonly Dictionary<string, string> metadata;

    private ShardedSafetensors(string indexPath, List<SafetensorsFile> shards, Dictionary<string, SafetensorsFile> shardByKey)
    {
        Description = indexPath;
        this.shards = shards;
        this.shardByKey = shardByKey;
        tensors = shardByKey.ToDictionary(kv => kv.Key, kv => kv.Value.Tensors[kv.Key], StringComparer.Ordinal);
        metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var shard in shards)
        {
            foreach (var (k, v) in shard.Metadata)
            {
                metadata.TryAdd(k, v);
            }
        }
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, SafetensorsTensorInfo> Tensors => tensors;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> Metadata => metadata;

    /// <summary>The shard files.</summary>
    public IReadOnlyList<SafetensorsFile> Shards => shards;

    /// <summary>Opens an index file and every shard it names, validating that each key is in its shard.</summary>
    public static ShardedSafetensors Open(string indexPath)
    {
        var full = Path.GetFullPath(indexPath);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"Checkpoint index not found: '{full}'.", full);
        }

        var dir = Path.GetDirectoryName(full)!;
        Dictionary<string, string> map;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(full), new JsonDocumentOptions { MaxDepth = 8 });
            if (!doc.RootElement.TryGetProperty("weight_map", out var wm) || wm.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"Checkpoint index '{full}' has no weight_map object.");
            }

            map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in wm.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.String)
                {
                    throw new InvalidDataException($"Checkpoint index '{full}': weight_map entry '{p.Name}' is not a file name.");
                }

                map[p.Name] = p.Value.GetString()!;
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Checkpoint index '{full}' is not valid JSON ({e.Message}).", e);
        }

        var opened = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        try
        {
            var byKey = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
            foreach (var (key, shardName) in map)
            {
                if (shardName.Length == 0 || Path.GetFileName(shardName) != shardName)
                {
                    throw new InvalidDataException($"Checkpoint index '{full}' names shard '{shardName}', which is not a plain file name in the index's folder.");
                }

                if (!opened.TryGetValue(shardName, out var shard))
                {
                    var shardPath = Path.Combine(dir, shardName);
                    if (!File.Exists(shardPath))
                    {
                        throw new FileNotFoundException($"Shard '{shardName}' named by '{full}' is missing (expected at '{shardPath}').", shardPath);
                    }

                    shard = SafetensorsFile.Open(shardPath);
                    opened[shardName] = shard;
                }

                if (!shard.Tensors.ContainsKey(key))
                {
                    throw new InvalidDataException($"Checkpoint index '{full}' places '{key}' in '{shardName}', which does not contain it.");
                }

                byKey[key] = shard;
            }

            return new ShardedSafetensors(full, opened.Values.ToList(), byKey);
        }
        catch
        {
            foreach (var s in opened.Values)
            {
                s.Dispose();
            }

            throw;
        }
    }

    /// <inheritdoc />
    public torch.Tensor Read(string name) => Shard(name).Read(name);

    /// <inheritdoc />
    public void ReadInto(string name, torch.Tensor destination) => Shard(name).ReadInto(name, destination);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var s in shards)
        {
            s.Dispose();
        }
    }

    private SafetensorsFile Shard(string name) =>
        shardByKey.TryGetValue(name, out var s) ? s : throw new KeyNotFoundException($"Tensor '{name}' is not in '{Description}'.");
}
