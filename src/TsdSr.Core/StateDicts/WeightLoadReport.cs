namespace TsdSr.Core.StateDicts;

/// <summary>A key whose shape differs between the file and the module.</summary>
/// <param name="Key">Module state-dict key.</param>
/// <param name="ModuleShape">Shape in the module.</param>
/// <param name="FileShape">Shape in the file.</param>
public sealed record ShapeMismatch(string Key, long[] ModuleShape, long[] FileShape)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{Key}: model [{string.Join(", ", ModuleShape)}], file [{string.Join(", ", FileShape)}]";
}

/// <summary>What a weight load did.</summary>
/// <param name="Source">The file or checkpoint the weights came from.</param>
/// <param name="Loaded">Module keys that were filled.</param>
/// <param name="Missing">Module keys the file lacks (left unchanged).</param>
/// <param name="Unexpected">File keys (after key mapping) the module does not have.</param>
/// <param name="Mismatched">Keys present in both whose shapes differ (left unchanged).</param>
public sealed record WeightLoadReport(
    string Source,
    IReadOnlyList<string> Loaded,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<ShapeMismatch> Mismatched)
{
    /// <summary>True when every module key was loaded and the file had nothing else.</summary>
    public bool IsExact => Missing.Count == 0 && Unexpected.Count == 0 && Mismatched.Count == 0;
}
