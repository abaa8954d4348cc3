namespace TsdSr.Core.Files;

/// <summary>
/// Checks that an output can be written before any expensive work starts: a run that loads models and computes for
/// minutes must not find out at the end that its folder is read-only. The check writes and removes a probe file, which
/// is the only test that sees permissions, read-only mounts and full quotas alike.
/// </summary>
public static class Writability
{
    /// <summary>
    /// Why files cannot be created in <paramref name="folder"/>, or null when they can. A missing folder is created
    /// (with its parents); it stays, as the output goes there next.
    /// </summary>
    public static string? FolderProblem(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var full = Path.GetFullPath(folder);
        if (File.Exists(full))
        {
            return $"'{full}' is a file, not a folder.";
        }

        var probe = Path.Combine(full, ".tsdsr-write-probe-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Directory.CreateDirectory(full);
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"'{full}' is not writable ({e.Message}).";
        }
        finally
        {
            TryDelete(probe);
        }
    }

    /// <summary>
    /// Why <paramref name="file"/> cannot be written, or null when it can: an existing file must open for writing (it is
    /// not changed), a new one needs a writable folder.
    /// </summary>
    public static string? FileProblem(string file)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        var full = Path.GetFullPath(file);
        if (Directory.Exists(full))
        {
            return $"'{full}' is a folder, not a file.";
        }

        if (!File.Exists(full))
        {
            return FolderProblem(Path.GetDirectoryName(full)!);
        }

        try
        {
            using (new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
            {
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"'{full}' is not writable ({e.Message}).";
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The probe was never created.
        }
    }
}
