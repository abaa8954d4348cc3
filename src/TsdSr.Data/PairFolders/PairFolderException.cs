namespace TsdSr.Data.PairFolders;

/// <summary>An offline pair folder is missing, incomplete or inconsistent.</summary>
public sealed class PairFolderException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PairFolderException(string root, string message, Exception? inner = null)
        : base($"Pair folder '{root}': {message}", inner)
    {
        Root = root;
    }

    /// <summary>The pair folder.</summary>
    public string Root { get; }
}
