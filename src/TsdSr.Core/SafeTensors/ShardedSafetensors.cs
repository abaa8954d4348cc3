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

    /// <summary>
    /// The index's own <c>metadata</c> object (e.g. <c>total_size</c>); non-string values are kept as their JSON text.
    /// </summary>
    public IReadOnlyDictionary<string, string> IndexMetadata { get; private init; } = new Dictionary<string, string>();

    /// <summary>Opens an index file and every shard it names, validating that each key is in its shard.</summary>
    /// <exception cref="FileNotFoundException">The index or a shard it names does not exist.</exception>
    /// <exception cref="SafetensorsFormatException">The index or a shard is malformed.</exception>
    public static ShardedSafetensors Open(string indexPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(indexPath);
        var full = Path.GetFullPath(indexPath);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"Checkpoint index not found: '{full}'.", full);
        }

        var (map, indexMetadata) = ShardIndexParser.Parse(full);
        var dir = Path.GetDirectoryName(full)!;
        var opened = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        try
        {
            var byKey = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
            foreach (var (key, shardName) in map)
            {
                if (!opened.TryGetValue(shardName, out var shard))
                {
                    var shardPath = Path.Combine(dir, shardName);
                    if (!File.Exists(shardPath))
                    {
                        throw new FileNotFoundException(
                            $"Shard '{shardName}' named by checkpoint index '{full}' (for '{key}') is missing: expected '{shardPath}'.", shardPath);
                    }

                    shard = SafetensorsFile.Open(shardPath);
                    opened[shardName] = shard;
                }

                if (!shard.Tensors.ContainsKey(key))
                {
                    throw new SafetensorsFormatException(full, $"the index places '{key}' in shard '{shardName}', which does not contain it.");
                }

                byKey[key] = shard;
            }

            return new ShardedSafetensors(full, opened.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Value).ToList(), byKey) { IndexMetadata = indexMetadata };
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
