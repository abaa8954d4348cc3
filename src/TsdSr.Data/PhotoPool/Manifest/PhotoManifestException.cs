namespace TsdSr.Data.PhotoPool.Manifest;

/// <summary>A photo manifest file cannot be read: wrong header, wrong number of fields, or a malformed value.</summary>
public sealed class PhotoManifestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PhotoManifestException(string file, int line, string message)
        : base($"Photo manifest '{file}', line {line}: {message}")
    {
        File = file;
        Line = line;
    }

    /// <summary>The manifest's path or display name.</summary>
    public string File { get; }

    /// <summary>1-based line number.</summary>
    public int Line { get; }
}
