namespace TsdSr.Core.Layout;

/// <summary>
/// The Hugging Face hub cache layout: <c>models--org--name/refs/&lt;revision&gt;</c> holds a commit hash and
/// <c>models--org--name/snapshots/&lt;hash&gt;/</c> the files of that commit (usually symbolic links into
/// <c>blobs/</c>).
/// </summary>
public static class HuggingFaceCache
{
    /// <summary>True when <paramref name="directory"/> is a cache repository folder (it has a <c>snapshots</c> folder).</summary>
    public static bool IsRepositoryFolder(string directory) =>
        System.IO.Directory.Exists(Path.Combine(directory, "snapshots"));

    /// <summary>
    /// The snapshot folder of <paramref name="revision"/>: the commit named by <c>refs/&lt;revision&gt;</c>, or
    /// <c>snapshots/&lt;revision&gt;</c> when the revision is a commit hash, or the only snapshot when there are no refs.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">No snapshot matches (the message lists what exists).</exception>
    public static string ResolveSnapshot(string repositoryFolder, string revision = "main")
    {
        ArgumentException.ThrowIfNullOrEmpty(repositoryFolder);
        ArgumentException.ThrowIfNullOrEmpty(revision);
        var repo = Path.GetFullPath(repositoryFolder);
        var snapshots = Path.Combine(repo, "snapshots");
        if (!System.IO.Directory.Exists(snapshots))
        {
            throw new DirectoryNotFoundException($"'{repo}' is not a Hugging Face cache repository folder: it has no 'snapshots' folder.");
        }

        if (!IsPlainName(revision))
        {
            throw new ArgumentException($"Revision '{revision}' is not a plain name.", nameof(revision));
        }

        var refFile = Path.Combine(repo, "refs", revision);
        if (File.Exists(refFile))
        {
            var commit = Files.RegularFile.ReadSmallText(refFile, "Hugging Face cache ref", 4096).Trim();
            if (!IsPlainName(commit))
            {
                throw new DirectoryNotFoundException($"'{refFile}' does not hold a commit hash (it holds '{commit}').");
            }

            var snapshot = Path.Combine(snapshots, commit);
            return System.IO.Directory.Exists(snapshot)
                ? snapshot
                : throw new DirectoryNotFoundException(
                    $"'{refFile}' names commit '{commit}', but '{snapshot}' does not exist (snapshots present: {List(snapshots)}).");
        }

        var direct = Path.Combine(snapshots, revision);
        if (System.IO.Directory.Exists(direct))
        {
            return direct;
        }

        var all = System.IO.Directory.GetDirectories(snapshots);
        if (all.Length == 1 && revision == "main" && !System.IO.Directory.Exists(Path.Combine(repo, "refs")))
        {
            return all[0];
        }

        throw new DirectoryNotFoundException(
            $"Hugging Face cache folder '{repo}' has no '{refFile}' and no snapshot '{revision}' (snapshots present: {List(snapshots)}).");
    }

    private static string List(string snapshots)
    {
        var names = System.IO.Directory.GetDirectories(snapshots).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        return names.Count == 0 ? "none" : string.Join(", ", names);
    }

    private static bool IsPlainName(string name) =>
        name.Length > 0 && name != "." && name != ".." && name.IndexOfAny(['/', '\\', ':', '\0']) < 0;
}
