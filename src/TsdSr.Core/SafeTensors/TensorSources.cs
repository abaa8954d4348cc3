using TorchSharp;
using TsdSr.Core.Pickle;

namespace TsdSr.Core.SafeTensors;

/// <summary>
/// Opens the tensor source behind a path: a <c>.safetensors</c> file, a sharded <c>.safetensors.index.json</c>, or a
/// <c>torch.save</c> zip (<c>.pt</c>, <c>.pth</c>, <c>.bin</c>, <c>.ckpt</c>) read by the restricted pickle reader.
/// </summary>
public static class TensorSources
{
    private static readonly string[] TorchExtensions = [".pt", ".pth", ".bin", ".ckpt"];

    /// <summary>Opens a single file, a sharded checkpoint index, or a PyTorch checkpoint, chosen by the file name.</summary>
    /// <exception cref="FileNotFoundException">The path, or a shard it names, does not exist.</exception>
    /// <exception cref="SafetensorsFormatException">A safetensors file or index is malformed.</exception>
    /// <exception cref="TorchPickleException">A PyTorch checkpoint is malformed or unsafe.</exception>
    public static ITensorSource Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path.EndsWith(".index.json", StringComparison.OrdinalIgnoreCase))
        {
            return ShardedSafetensors.Open(path);
        }

        return TorchExtensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase))
            ? PyTorchCheckpoint.Open(path)
            : SafetensorsFile.Open(path);
    }

    /// <summary>
    /// Reads every tensor of <paramref name="source"/> (in name order) into new CPU tensors; the caller owns them. If a
    /// read fails, the tensors already read are disposed.
    /// </summary>
    public static Dictionary<string, torch.Tensor> ReadAll(ITensorSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var result = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var name in source.Tensors.Keys.Order(StringComparer.Ordinal))
            {
                result[name] = source.Read(name);
            }
        }
        catch
        {
            foreach (var t in result.Values)
            {
                t.Dispose();
            }

            throw;
        }

        return result;
    }
}
