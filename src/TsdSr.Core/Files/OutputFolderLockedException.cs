namespace TsdSr.Core.Files;

/// <summary>Another run holds an output folder (see <see cref="OutputFolderLock"/>).</summary>
public sealed class OutputFolderLockedException : IOException
{
    /// <summary>Creates the exception.</summary>
    public OutputFolderLockedException(string folder, string lockFile, Exception? inner = null)
        : base($"Another run is writing to '{folder}' (it holds '{lockFile}'). Wait for it to finish, or choose another output folder.", inner)
    {
        Folder = folder;
        LockFile = lockFile;
    }

    /// <summary>The folder.</summary>
    public string Folder { get; }

    /// <summary>The lock file.</summary>
    public string LockFile { get; }
}
