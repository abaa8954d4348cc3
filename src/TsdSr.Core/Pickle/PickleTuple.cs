namespace TsdSr.Core.Pickle;

/// <summary>A Python tuple (immutable, so a distinct type from lists).</summary>
internal sealed record PickleTuple(object?[] Items);
