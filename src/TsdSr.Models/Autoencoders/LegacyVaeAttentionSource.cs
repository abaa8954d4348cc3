using TorchSharp;
using TsdSr.Core.SafeTensors;

namespace TsdSr.Models.Autoencoders;

/// <summary>
/// Reads a VAE checkpoint that uses the legacy mid-block attention names (<c>query</c>, <c>key</c>, <c>value</c>,
/// <c>proj_attn</c>, as in diffusers before 0.14) under the current names (<c>to_q</c>, <c>to_k</c>, <c>to_v</c>,
/// <c>to_out.0</c>), squeezing 1×1-conv-shaped weights [C, C, 1, 1] to Linear [C, C] on the way, as diffusers does on
/// load. Every other tensor passes through unchanged. Disposing it disposes the inner source.
/// </summary>
public sealed class LegacyVaeAttentionSource : ITensorSource
{
    private static readonly Dictionary<string, string> Renames = new(StringComparer.Ordinal)
    {
        ["query"] = "to_q",
        ["key"] = "to_k",
        ["value"] = "to_v",
        ["proj_attn"] = "to_out.0",
    };

    private readonly ITensorSource inner;
    private readonly Dictionary<string, SafetensorsTensorInfo> tensors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> innerName = new(StringComparer.Ordinal);

    /// <summary>Wraps <paramref name="inner"/> (ownership is taken).</summary>
    /// <exception cref="InvalidDataException">A legacy name and its current name are both present.</exception>
    public LegacyVaeAttentionSource(ITensorSource inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        this.inner = inner;
        foreach (var (name, info) in inner.Tensors)
        {
            var mapped = MapKey(name);
            var shape = mapped != name && IsPointwiseConv(info.Shape) ? info.Shape[..2] : info.Shape;
            if (!tensors.TryAdd(mapped, info with { Name = mapped, Shape = shape }))
            {
                throw new InvalidDataException($"'{inner.Description}' holds both '{name}' and another tensor that maps to '{mapped}'.");
            }

            innerName[mapped] = name;
        }
    }

    /// <inheritdoc />
    public string Description => inner.Description + " (legacy VAE attention names mapped)";

    /// <inheritdoc />
    public IReadOnlyDictionary<string, SafetensorsTensorInfo> Tensors => tensors;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> Metadata => inner.Metadata;

    /// <summary>
    /// Maps one key: a <c>query</c> / <c>key</c> / <c>value</c> / <c>proj_attn</c> segment directly under
    /// <c>attentions.{i}</c> becomes <c>to_q</c> / <c>to_k</c> / <c>to_v</c> / <c>to_out.0</c>; other keys are returned unchanged.
    /// Pure, so it can also serve as a <c>WeightLoadOptions.KeyMap</c> for files whose legacy weights are already 2-D.
    /// </summary>
    public static string MapKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parts = key.Split('.');
        for (int i = 2; i < parts.Length - 1; i++)
        {
            if (parts[i - 2] == "attentions" && int.TryParse(parts[i - 1], out _) && Renames.TryGetValue(parts[i], out var current))
            {
                parts[i] = current;
                return string.Join('.', parts);
            }
        }

        return key;
    }

    /// <inheritdoc />
    public torch.Tensor Read(string name)
    {
        var info = Info(name);
        var t = inner.Read(innerName[name]);
        if (t.shape.SequenceEqual(info.Shape))
        {
            return t;
        }

        using (t)
        {
            return t.reshape(info.Shape).contiguous();
        }
    }

    /// <inheritdoc />
    public void ReadInto(string name, torch.Tensor destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var info = Info(name);
        var source = innerName[name];
        if (inner.Tensors[source].Shape.SequenceEqual(info.Shape))
        {
            inner.ReadInto(source, destination);
            return;
        }

        if (!destination.shape.SequenceEqual(info.Shape))
        {
            throw new ArgumentException(
                $"Tensor '{name}' has shape {info.ShapeText}, the destination has [{string.Join(", ", destination.shape)}].", nameof(destination));
        }

        using var temp = Read(name);
        using (torch.no_grad())
        {
            destination.copy_(temp);
        }
    }

    /// <inheritdoc />
    public void Dispose() => inner.Dispose();

    private static bool IsPointwiseConv(long[] shape) => shape.Length == 4 && shape[2] == 1 && shape[3] == 1;

    private SafetensorsTensorInfo Info(string name) =>
        tensors.TryGetValue(name, out var info)
            ? info
            : throw new KeyNotFoundException($"Tensor '{name}' is not in '{Description}'.");
}
