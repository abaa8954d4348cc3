using System.Runtime.InteropServices;

namespace TsdSr.Tests.TestSupport;

/// <summary>File-system entries that hostile-input tests need: FIFOs, and locations this process cannot write.</summary>
internal static partial class SpecialFiles
{
    /// <summary>Creates a FIFO (named pipe) at <paramref name="path"/>. Opening it for reading would block until a writer comes.</summary>
    public static string MakeFifo(string path)
    {
        if (mkfifo(path, 0x1B6 /* 0666 */) != 0)
        {
            throw new IOException($"mkfifo '{path}' failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        return path;
    }

    /// <summary>
    /// A folder path this process cannot create files in: a read-only folder under <paramref name="root"/>, or, where the
    /// process runs as root (which ignores permissions), a path inside /proc, which refuses new entries to everyone.
    /// </summary>
    public static string UnwritableFolder(string root)
    {
        var folder = Path.Combine(root, "read-only");
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var probe = Path.Combine(folder, "probe");
        try
        {
            File.WriteAllText(probe, "x");
            File.Delete(probe);
            return "/proc/self/tsdsr-unwritable";
        }
        catch (UnauthorizedAccessException)
        {
            return folder;
        }
    }

    /// <summary>Makes a folder from <see cref="UnwritableFolder"/> deletable again.</summary>
    public static void MakeWritable(string root)
    {
        var folder = Path.Combine(root, "read-only");
        if (Directory.Exists(folder))
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mkfifo(string path, uint mode);
}
