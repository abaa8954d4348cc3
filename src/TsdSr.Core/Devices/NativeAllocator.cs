using System.Globalization;
using System.Runtime.InteropServices;

namespace TsdSr.Core.Devices;

/// <summary>
/// Which <c>malloc</c> serves libtorch's CPU tensors in this process. libtorch allocates each CPU tensor with the C
/// library's <c>malloc</c>; glibc's hands blocks over 32 MiB straight back to the kernel when they are freed, so every
/// large VAE activation is page-faulted and zeroed anew. tcmalloc keeps and reuses them: on Linux, starting the process
/// with <c>LD_PRELOAD</c> set to tcmalloc made the SD3 VAE 1.15–1.2× faster in bf16 and 1.2–1.45× in fp32, at a process
/// peak 1.03–1.16× (bf16) and 1.34–1.38× (fp32) glibc's, since it keeps what it frees (docs/performance.md).
/// </summary>
public static class NativeAllocator
{
    /// <summary>The allocator's short name: <c>glibc</c>, <c>tcmalloc</c>, <c>jemalloc</c>, <c>mimalloc</c>, the file
    /// that exports <c>malloc</c> for another library, or <c>platform default</c> where it cannot be told (not Linux).</summary>
    public static string Describe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "platform default";
        }

        try
        {
            var address = (ulong)NativeLibrary.GetExport(NativeLibrary.GetMainProgramHandle(), "malloc");
            var maps = File.ReadLines("/proc/self/maps");
            return NameOf(FileContaining(maps, address));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or EntryPointNotFoundException)
        {
            return "unknown";
        }
    }

    /// <summary>What to tell a user whose CPU tensors come from glibc's allocator (<see cref="IsGlibc"/>).</summary>
    public const string GlibcHint = "glibc's malloc returns every tensor over 32 MiB to the kernel when it is freed; "
        + "LD_PRELOAD=libtcmalloc_minimal.so.4 (Debian/Ubuntu package libtcmalloc-minimal4) keeps them for reuse: a faster "
        + "VAE, while the process holds on to its peak memory (docs/performance.md).";

    /// <summary>Whether <paramref name="description"/> (from <see cref="Describe"/>) is glibc's allocator, the one that
    /// returns large blocks to the kernel on every free.</summary>
    public static bool IsGlibc(string description) => description == "glibc";

    /// <summary>The file of the mapping in <paramref name="mapsLines"/> (the format of <c>/proc/self/maps</c>) that
    /// contains <paramref name="address"/>, or null when no file-backed mapping does.</summary>
    public static string? FileContaining(IEnumerable<string> mapsLines, ulong address)
    {
        ArgumentNullException.ThrowIfNull(mapsLines);
        foreach (var line in mapsLines)
        {
            // "start-end perms offset dev inode path"; the path is the sixth field and may contain spaces.
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 6)
            {
                continue;
            }

            var range = fields[0].Split('-');
            if (range.Length != 2
                || !ulong.TryParse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var start)
                || !ulong.TryParse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var end))
            {
                continue;
            }

            if (address >= start && address < end)
            {
                return fields[5].Trim();
            }
        }

        return null;
    }

    /// <summary>The short name of the allocator that a library file path stands for (see <see cref="Describe"/>).</summary>
    public static string NameOf(string? libraryPath)
    {
        if (string.IsNullOrEmpty(libraryPath))
        {
            return "unknown";
        }

        var file = Path.GetFileName(libraryPath);
        if (file.StartsWith("libtcmalloc", StringComparison.Ordinal))
        {
            return "tcmalloc";
        }

        if (file.StartsWith("libjemalloc", StringComparison.Ordinal))
        {
            return "jemalloc";
        }

        if (file.StartsWith("libmimalloc", StringComparison.Ordinal))
        {
            return "mimalloc";
        }

        return file.StartsWith("libc.so", StringComparison.Ordinal) || file.StartsWith("libc-", StringComparison.Ordinal) ? "glibc" : file;
    }
}
