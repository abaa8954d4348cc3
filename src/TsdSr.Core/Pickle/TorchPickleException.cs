namespace TsdSr.Core.Pickle;

/// <summary>
/// A PyTorch checkpoint cannot be read safely: it is malformed, uses an unsupported feature, or its pickle asks for a
/// Python global outside the allowlist (which would mean running code on load).
/// </summary>
public sealed class TorchPickleException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TorchPickleException(string path, string message, Exception? inner = null)
        : base($"Cannot read PyTorch checkpoint '{path}': {message}", inner)
    {
        FilePath = path;
    }

    /// <summary>The offending file.</summary>
    public string FilePath { get; }

    /// <summary>The refused Python global (<c>module.name</c>), when that is the reason.</summary>
    public string? RefusedGlobal { get; init; }
}
