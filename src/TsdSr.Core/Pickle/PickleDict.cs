namespace TsdSr.Core.Pickle;

/// <summary>A Python dict or OrderedDict, in insertion order.</summary>
internal sealed class PickleDict
{
    public List<KeyValuePair<object?, object?>> Entries { get; } = [];
}
