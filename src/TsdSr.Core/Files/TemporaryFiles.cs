using System.Collections.Concurrent;

namespace TsdSr.Core.Files;

/// <summary>
/// The process-wide list of temporary files that writers create before an atomic rename. Writers delete their own
/// temporary on every exception; this list covers the one path they cannot: the process ending while they write
/// (a second Ctrl+C forcing exit, <see cref="Environment.Exit"/>). Whatever is still listed is deleted on process exit.
/// </summary>
public static class TemporaryFiles
{
    private static readonly ConcurrentDictionary<string, byte> Live = new(StringComparer.Ordinal);
    private static int hooked;

    /// <summary>The temporaries currently being written (full paths).</summary>
    public static IReadOnlyCollection<string> Current => [.. Live.Keys];

    /// <summary>A unique temporary name next to <paramref name="finalPath"/> (same folder, so the rename is atomic), tracked until the returned lease is disposed.</summary>
    /// <param name="finalPath">The file the temporary will become.</param>
    /// <param name="suffix">Appended after the random part (e.g. ".png" for writers that choose the format by extension).</param>
    public static Lease Create(string finalPath, string suffix = "")
    {
        ArgumentException.ThrowIfNullOrEmpty(finalPath);
        var temp = Path.GetFullPath(finalPath) + ".tmp-" + Guid.NewGuid().ToString("N")[..8] + suffix;
        Track(temp);
        return new Lease(temp);
    }

    /// <summary>Starts tracking <paramref name="path"/> (for writers that choose their own names).</summary>
    public static void Track(string path)
    {
        if (Interlocked.Exchange(ref hooked, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteAll();
        }

        Live[Path.GetFullPath(path)] = 0;
    }

    /// <summary>Stops tracking <paramref name="path"/> (it was renamed or deleted by its writer).</summary>
    public static void Untrack(string path) => Live.TryRemove(Path.GetFullPath(path), out _);

    /// <summary>Deletes every tracked temporary; errors are ignored (the process is ending). Returns how many were removed.</summary>
    public static int DeleteAll()
    {
        int removed = 0;
        foreach (var path in Live.Keys)
        {
            try
            {
                if (File.Exists(path))
                {
                    File.Delete(path);
                    removed++;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Nothing more can be done while exiting.
            }

            Live.TryRemove(path, out _);
        }

        return removed;
    }

    /// <summary>One tracked temporary: deleted on dispose unless it was committed.</summary>
    public sealed class Lease : IDisposable
    {
        private bool done;

        internal Lease(string path) => Path = path;

        /// <summary>The temporary's full path.</summary>
        public string Path { get; }

        /// <summary>Renames the temporary onto <paramref name="finalPath"/> (replacing it only when <paramref name="overwrite"/>).</summary>
        /// <exception cref="IOException"><paramref name="finalPath"/> exists and <paramref name="overwrite"/> is false.</exception>
        public void Commit(string finalPath, bool overwrite)
        {
            File.Move(Path, finalPath, overwrite);
            done = true;
            Untrack(Path);
        }

        /// <summary>Deletes the temporary unless it was committed.</summary>
        public void Dispose()
        {
            if (done)
            {
                return;
            }

            done = true;
            try
            {
                File.Delete(Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The writer's own exception matters more than a leftover temporary.
            }
            finally
            {
                Untrack(Path);
            }
        }
    }
}
