namespace TsdSr.Core.Pickle;

/// <summary>A Python global named by a pickle (<c>module.name</c>); only allowlisted ones are ever created.</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => Module + "." + Name;
}

/// <summary>A Python dict or OrderedDict, in insertion order.</summary>
internal sealed class PickleDict
{
    public List<KeyValuePair<object?, object?>> Entries { get; } = [];
}

/// <summary>A Python tuple (immutable, so a distinct type from lists).</summary>
internal sealed record PickleTuple(object?[] Items);

/// <summary>A storage named by a persistent id: <c>('storage', torch.XStorage, key, location, numel)</c>.</summary>
internal sealed record TorchStorageRef(string Key, TorchStorageType Type, long ElementCount);

/// <summary>A tensor view of a storage, as <c>torch._utils._rebuild_tensor_v2</c> describes it. Nothing is read yet.</summary>
internal sealed record PickledTensor(TorchStorageRef Storage, long StorageOffset, long[] Size, long[] Stride);
