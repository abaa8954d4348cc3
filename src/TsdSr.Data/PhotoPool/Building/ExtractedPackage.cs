namespace TsdSr.Data.PhotoPool.Building;

/// <summary>
/// A Debian package unpacked with <c>dpkg -x</c> into <c>EXTRACTED/PACKAGE/</c>, with its version in
/// <c>EXTRACTED/PACKAGE.version</c>. <c>scripts/build-photo-pool.sh</c> writes the version file only after the
/// unpacking succeeded, so a folder without one is treated as not extracted.
/// </summary>
/// <param name="Package">Package name.</param>
/// <param name="Root">The folder the package was unpacked into (holds <c>usr/</c>).</param>
/// <param name="Version">The package's Debian version.</param>
public sealed record ExtractedPackage(string Package, string Root, string Version)
{
    /// <summary>The extracted package, or null when its folder or version file is missing.</summary>
    public static ExtractedPackage? Find(string extractedRoot, string package)
    {
        ArgumentException.ThrowIfNullOrEmpty(extractedRoot);
        ArgumentException.ThrowIfNullOrEmpty(package);
        var root = Path.Combine(extractedRoot, package);
        var versionFile = Path.Combine(extractedRoot, package + ".version");
        if (!Directory.Exists(root) || !File.Exists(versionFile))
        {
            return null;
        }

        var version = File.ReadAllText(versionFile).Trim();
        return version.Length == 0 ? null : new ExtractedPackage(package, Path.GetFullPath(root), version);
    }

    /// <summary>
    /// Files under the package whose relative path matches <paramref name="pattern"/>, sorted. Symbolic links are
    /// skipped (Plasma's other sizes are links to the one real file; a link could also point out of the package).
    /// </summary>
    public IEnumerable<string> Match(PathPattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var start = pattern.LiteralPrefix.Length == 0 ? Root : Path.Combine(Root, pattern.LiteralPrefix);
        if (!Directory.Exists(start))
        {
            return [];
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = false };
        return Directory.EnumerateFiles(start, "*", options)
            .Select(f => Path.GetRelativePath(Root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(pattern.IsMatch)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The full path of a file given relative to the package root.</summary>
    public string FullPath(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));
}
