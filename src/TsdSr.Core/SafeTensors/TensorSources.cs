namespace TsdSr.Core.SafeTensors;

/// <summary>Opens the tensor source behind a path: a <c>.safetensors</c> file or a sharded <c>.safetensors.index.json</c>.</summary>
public static class TensorSources
{
    /// <summary>Opens a single file or a sharded checkpoint index.</summary>
    /// <exception cref="FileNotFoundException">The path, or a shard it names, does not exist.</exception>
    public static ITensorSource Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return path.EndsWith(".index.json", StringComparison.OrdinalIgnoreCase)
            ? ShardedSafetensors.Open(path)
            : SafetensorsFile.Open(path);
    }
}
