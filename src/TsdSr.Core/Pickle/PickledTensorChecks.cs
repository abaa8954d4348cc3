namespace TsdSr.Core.Pickle;

/// <summary>Validation of what a pickle claims about storages and views, before any byte is allocated for them.</summary>
internal static class PickledTensorChecks
{
    /// <summary>
    /// Overlapping views (stride 0 from <c>expand</c>) can be larger than their storage; beyond this size such a view is
    /// refused, so a tiny hostile file cannot ask for an arbitrarily large tensor.
    /// </summary>
    public const long MaxExpandedViewBytes = 256L << 20;

    private const int MaxRank = 64;

    /// <summary>Turns a persistent id <c>('storage', torch.XStorage, key, location, numel)</c> into a storage reference.</summary>
    public static TorchStorageRef StorageFromPersistentId(string path, object? pid, Dictionary<string, TorchStorageRef> storages)
    {
        if (pid is not PickleTuple { Items: ["storage", PickleGlobal type, string key, string, long numel] }
            || type.Module != "torch" || !TorchStorageType.TryGet(type.Name, out var storageType))
        {
            throw new TorchPickleException(path, "a persistent id is not ('storage', torch.<Type>Storage, key, location, numel).");
        }

        if (!IsPlainStorageKey(key) || numel < 0)
        {
            throw new TorchPickleException(path, $"storage '{key}' has an invalid key or a negative size {numel}.");
        }

        var storage = new TorchStorageRef(key, storageType, numel);
        if (storages.TryGetValue(key, out var existing))
        {
            return existing == storage
                ? existing
                : throw new TorchPickleException(path, $"storage '{key}' is described twice with different types or sizes.");
        }

        storages[key] = storage;
        return storage;
    }

    /// <summary>Checks that a view stays inside its storage and does not blow up in size.</summary>
    public static void ValidateView(string path, string name, PickledTensor d)
    {
        string View() => $"offset {d.StorageOffset}, size [{string.Join(", ", d.Size)}], stride [{string.Join(", ", d.Stride)}]";
        if (d.Size.Length > MaxRank || d.StorageOffset < 0 || d.Size.Any(s => s < 0) || d.Stride.Any(s => s < 0))
        {
            throw new TorchPickleException(path, $"tensor '{name}' has an invalid view ({View()}).");
        }

        long count = d.ElementCount;
        if (count == 0)
        {
            return;
        }

        long last = d.StorageOffset;
        for (int i = 0; i < d.Size.Length; i++)
        {
            last = checked(last + checked((d.Size[i] - 1) * d.Stride[i]));
        }

        if (last >= d.Storage.ElementCount)
        {
            throw new TorchPickleException(path, $"tensor '{name}' ({View()}) reaches element {last} of storage '{d.Storage.Key}', which has {d.Storage.ElementCount}.");
        }

        if (count > d.Storage.ElementCount && d.ByteLength > MaxExpandedViewBytes)
        {
            throw new TorchPickleException(path, $"tensor '{name}' ({View()}) would expand storage '{d.Storage.Key}' of {d.Storage.ElementCount} elements to {count}; overlapping views above {MaxExpandedViewBytes} bytes are refused.");
        }
    }

    /// <summary>torch names storages "0", "1", ...; anything that could escape the data/ folder is refused.</summary>
    private static bool IsPlainStorageKey(string key) =>
        key.Length is > 0 and < 256 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
