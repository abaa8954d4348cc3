namespace TsdSr.Core.StateDicts;

/// <summary>Options of <see cref="WeightLoader"/>.</summary>
public sealed class WeightLoadOptions
{
    /// <summary>Throw <see cref="WeightLoadException"/> unless the load is exact. Default true.</summary>
    public bool Strict { get; init; } = true;

    /// <summary>
    /// Maps a file key to a module key, or to null to ignore that file key. Null means identity. Must be a pure
    /// function (see the key maps in TsdSr.Models).
    /// </summary>
    public Func<string, string?>? KeyMap { get; init; }

    /// <summary>
    /// Selects the module keys the file is expected to provide (e.g. only LoRA keys, or only base weights). Null means
    /// every key of the module's state dict. A file key that maps to a module key outside the filter counts as
    /// unexpected.
    /// </summary>
    public Func<string, bool>? ModuleKeyFilter { get; init; }

    /// <summary>Reports (keys done, keys total) while loading.</summary>
    public IProgress<(int Done, int Total)>? Progress { get; init; }

    /// <summary>Checked between tensors.</summary>
    public CancellationToken CancellationToken { get; init; }
}
