namespace TsdSr.Core.SafeTensors;

/// <summary>A safetensors file is malformed, truncated or hostile.</summary>
public sealed class SafetensorsFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SafetensorsFormatException(string path, string message, Exception? inner = null)
        : base($"Invalid safetensors file '{path}': {message}", inner)
    {
        FilePath = path;
    }

    /// <summary>The offending file.</summary>
    public string FilePath { get; }
}
