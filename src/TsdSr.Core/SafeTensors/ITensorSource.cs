using TorchSharp;

namespace TsdSr.Core.SafeTensors;

/// <summary>A named collection of tensors read on demand (one safetensors file or a sharded checkpoint).</summary>
public interface ITensorSource : IDisposable
{
    /// <summary>Description for error messages (usually the path).</summary>
    string Description { get; }

    /// <summary>Header entries by tensor name.</summary>
    IReadOnlyDictionary<string, SafetensorsTensorInfo> Tensors { get; }

    /// <summary>The <c>__metadata__</c> string map (merged over shards).</summary>
    IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Reads one tensor into a new CPU tensor of the stored dtype. The caller owns the result.</summary>
    torch.Tensor Read(string name);

    /// <summary>
    /// Reads one tensor into <paramref name="destination"/> (any dtype or device; converted on copy). Peak extra
    /// memory is one tensor of the stored size. The shapes must be equal.
    /// </summary>
    void ReadInto(string name, torch.Tensor destination);
}
