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

/// <summary>A key whose values are of another kind in the file (integers where the module has floats, …).</summary>
/// <param name="Key">Module state-dict key.</param>
/// <param name="ModuleDType">The module tensor's dtype.</param>
/// <param name="FileDType">The file's dtype name (e.g. <c>I32</c>).</param>
public sealed record DTypeMismatch(string Key, string ModuleDType, string FileDType)
{
    /// <inheritdoc />
    public override string ToString() => $"{Key}: model {ModuleDType}, file {FileDType}";
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
    /// <summary>Keys whose file dtype is of another kind than the module's (not loaded).</summary>
    public IReadOnlyList<DTypeMismatch> WrongDTypes { get; init; } = [];

    /// <summary>Loaded keys holding NaN or infinite values.</summary>
    public IReadOnlyList<string> NonFinite { get; init; } = [];

    /// <summary>True when every module key was loaded with finite values of its kind and the file had nothing else.</summary>
    public bool IsExact => Missing.Count == 0 && Unexpected.Count == 0 && Mismatched.Count == 0 && WrongDTypes.Count == 0 && NonFinite.Count == 0;
}
