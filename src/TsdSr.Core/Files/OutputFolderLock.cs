namespace TsdSr.Core.Files;

/// <summary>
/// Claims an output folder for one run, so that two runs writing into the same folder cannot mix their files
/// unnoticed: the second one is refused by name. The claim is an OS lock on <see cref="FileName"/> in the folder (an
/// advisory <c>flock</c> on Linux and macOS, a share lock on Windows), so it ends with the process however the process
/// ends, and a lock file left by a killed run never blocks the next one. The file is removed on release and on a
/// forced exit (<see cref="Environment.Exit"/>); only a process killed outright (SIGKILL) leaves it, harmlessly.
/// </summary>
/// <remarks>
/// Runs with <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c> set do not lock on Unix and are not detected. A release and two new
/// claims racing within microseconds could both succeed; runs start seconds apart, so this is accepted.
/// </remarks>
public sealed class OutputFolderLock : IDisposable
{
    /// <summary>The lock file's name.</summary>
    public const string FileName = ".tsdsr.lock";

    private readonly FileStream stream;
    private readonly EventHandler onExit;

    private OutputFolderLock(string folder, FileStream stream)
    {
        Folder = folder;
        this.stream = stream;
        // A forced exit (a second Ctrl+C) skips disposal; the OS drops the lock, and this removes the file.
        onExit = (_, _) => this.stream.Dispose();
        AppDomain.CurrentDomain.ProcessExit += onExit;
    }

    /// <summary>The claimed folder (full path).</summary>
    public string Folder { get; }

    /// <summary>Creates <paramref name="folder"/> if needed and claims it.</summary>
    /// <param name="folder">The output folder.</param>
    /// <param name="what">The run, for the holder's record in the lock file (e.g. "tsdsr upscale").</param>
    /// <exception cref="OutputFolderLockedException">Another run holds the folder.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder cannot be written.</exception>
    public static OutputFolderLock Acquire(string folder, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var full = Path.GetFullPath(folder);
        Directory.CreateDirectory(full);
        var path = Path.Combine(full, FileName);
        for (int attempt = 0; ; attempt++)
        {
            FileStream stream;
            try
            {
                stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException && File.Exists(path))
            {
                throw new OutputFolderLockedException(full, path, e);
            }

            // The previous holder may have removed the file between our open and our lock: that claim is on a deleted file.
            if (!File.Exists(path) && attempt < 3)
            {
                stream.Dispose();
                continue;
            }

            stream.SetLength(0);
            using (var writer = new StreamWriter(stream, leaveOpen: true))
            {
                writer.WriteLine($"{what} (process {Environment.ProcessId}) since {DateTime.UtcNow:u}");
            }

            stream.Flush();
            return new OutputFolderLock(full, stream);
        }
    }

    /// <summary>Releases the claim and removes the lock file.</summary>
    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= onExit;
        this.stream.Dispose();
    }
}
