using TorchSharp;
using TsdSr.Core.Files;
using TsdSr.Core.SafeTensors;

namespace TsdSr.Core.Pickle;

/// <summary>
/// A <c>torch.save</c> file (PyTorch ≥ 1.6 zip format: <c>.pt</c>, <c>.pth</c>, <c>.bin</c>) holding one tensor or a
/// (possibly nested, Ordered) dict of tensors. The pickle is interpreted by a restricted reader that never runs Python
/// code: only the handful of globals plain tensor checkpoints use are accepted, and any other global (e.g.
/// <c>os.system</c>, <c>builtins.eval</c>) makes <see cref="Open"/> throw <see cref="TorchPickleException"/> naming it.
/// Tensor data is read on demand, one storage at a time.
/// </summary>
public sealed class PyTorchCheckpoint : ITensorSource
{
    /// <summary>The name under which a file whose root object is a single tensor exposes it.</summary>
    public const string RootTensorName = "__root__";

    private readonly TorchZipArchive archive;
    private readonly Dictionary<string, PickledTensor> descriptors;
    private readonly Dictionary<string, SafetensorsTensorInfo> tensors;

    private PyTorchCheckpoint(TorchZipArchive archive, Dictionary<string, PickledTensor> descriptors, List<string> skipped)
    {
        this.archive = archive;
        this.descriptors = descriptors;
        SkippedEntries = skipped;
        tensors = descriptors.ToDictionary(
            kv => kv.Key,
            kv => new SafetensorsTensorInfo(kv.Key, kv.Value.Storage.Type.SafetensorsDType, kv.Value.Size, 0, kv.Value.ByteLength),
            StringComparer.Ordinal);
    }

    /// <summary>Full path of the file.</summary>
    public string Path => archive.Path;

    /// <inheritdoc />
    public string Description => archive.Path;

    /// <summary>
    /// Tensors by flattened key (nested dict keys joined with '.'). <see cref="SafetensorsTensorInfo.Begin"/> is 0 and
    /// <see cref="SafetensorsTensorInfo.End"/> the tensor's byte size: the data lives in per-storage zip entries.
    /// </summary>
    public IReadOnlyDictionary<string, SafetensorsTensorInfo> Tensors => tensors;

    /// <summary>Always empty: torch.save files carry no string metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; } = new Dictionary<string, string>();

    /// <summary>True when the file's root object is one tensor (see <see cref="RootTensorName"/>).</summary>
    public bool IsSingleTensor => descriptors.Count == 1 && descriptors.ContainsKey(RootTensorName);

    /// <summary>Non-tensor values found in the dict (e.g. an epoch counter), as "key (type)"; they are ignored.</summary>
    public IReadOnlyList<string> SkippedEntries { get; }

    /// <summary>Opens a checkpoint and interprets its pickle. No tensor data is read.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="TorchPickleException">The file is malformed, unsupported or refers to a disallowed global.</exception>
    public static PyTorchCheckpoint Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"PyTorch checkpoint not found: '{full}'.", full);
        }

        if (RegularFile.Problem(full) is { } problem)
        {
            throw new TorchPickleException(full, problem);
        }

        var archive = TorchZipArchive.Open(full);
        try
        {
            archive.CheckByteOrder();
            var storages = new Dictionary<string, TorchStorageRef>(StringComparer.Ordinal);
            var root = SafeUnpickler.Load(full, archive.ReadPickle(), pid => PickledTensorChecks.StorageFromPersistentId(full, pid, storages));
            var (descriptors, skipped) = PickleTensorTree.Flatten(full, root, RootTensorName);
            foreach (var storage in storages.Values)
            {
                archive.ValidateStorage(storage);
            }

            foreach (var (name, d) in descriptors)
            {
                PickledTensorChecks.ValidateView(full, name, d);
            }

            return new PyTorchCheckpoint(archive, descriptors, skipped);
        }
        catch (OverflowException e)
        {
            archive.Dispose();
            throw new TorchPickleException(full, "a size in the checkpoint overflows 64 bits.", e);
        }
        catch
        {
            archive.Dispose();
            throw;
        }
    }

    /// <summary>Reads every tensor of a checkpoint into new CPU tensors. The caller owns them.</summary>
    public static Dictionary<string, torch.Tensor> LoadAll(string path)
    {
        using var file = Open(path);
        return TensorSources.ReadAll(file);
    }

    /// <summary>Reads a checkpoint whose root object is one tensor (e.g. TSD-SR's <c>prompt_embeds.pt</c>).</summary>
    /// <exception cref="TorchPickleException">The root object is not a single tensor.</exception>
    public static torch.Tensor LoadTensor(string path)
    {
        using var file = Open(path);
        if (!file.IsSingleTensor)
        {
            throw new TorchPickleException(file.Path, $"it holds a dict of {file.tensors.Count} tensor(s), not a single tensor.");
        }

        return file.Read(RootTensorName);
    }

    /// <inheritdoc />
    public torch.Tensor Read(string name)
    {
        var d = descriptors.TryGetValue(name, out var found) ? found : throw new KeyNotFoundException($"Tensor '{name}' is not in '{Path}'.");
        using var storage = archive.ReadStorage(d.Storage);
        if (d.IsWholeStorage)
        {
            return storage.view(d.Size);
        }

        using var view = storage.as_strided(d.Size, d.Stride, d.StorageOffset);
        var result = torch.empty(d.Size, d.Storage.Type.ScalarType, torch.CPU);
        result.copy_(view);
        return result;
    }

    /// <inheritdoc />
    public void ReadInto(string name, torch.Tensor destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var info = tensors.TryGetValue(name, out var i) ? i : throw new KeyNotFoundException($"Tensor '{name}' is not in '{Path}'.");
        if (!destination.shape.SequenceEqual(info.Shape))
        {
            throw new ArgumentException(
                $"Tensor '{name}' in '{Path}' has shape {info.ShapeText}, the destination has [{string.Join(", ", destination.shape)}].",
                nameof(destination));
        }

        using var t = Read(name);
        using var noGrad = torch.no_grad();
        destination.copy_(t);
    }

    /// <inheritdoc />
    public void Dispose() => archive.Dispose();
}
