namespace TsdSr.Core.Pickle;

/// <summary>A storage named by a persistent id: <c>('storage', torch.XStorage, key, location, numel)</c>.</summary>
internal sealed record TorchStorageRef(string Key, TorchStorageType Type, long ElementCount);
