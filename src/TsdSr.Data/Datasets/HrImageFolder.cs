namespace TsdSr.Data.Datasets;

/// <summary>The high-resolution images under one or more folders (recursive), in a stable order.</summary>
public sealed class HrImageFolder
{
    private HrImageFolder(IReadOnlyList<string> roots, IReadOnlyList<string> files)
    {
        Roots = roots;
        Root = roots[0];
        Files = files;
    }

    /// <summary>Extensions that are picked up (case-insensitive).</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".png", ".jpg", ".jpeg", ".webp"];

    /// <summary>The scanned folder (full path); the first one when several were scanned.</summary>
    public string Root { get; }

    /// <summary>Every scanned folder (full paths), in the order given.</summary>
    public IReadOnlyList<string> Roots { get; }

    /// <summary>
    /// Full paths of the images, sorted ordinally by their path relative to their folder; with several folders, the
    /// folders' lists one after the other in the order given.
    /// </summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Scans <paramref name="root"/> recursively for PNG, JPEG and WebP files.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="ArgumentException">The folder holds no image.</exception>
    public static HrImageFolder Scan(string root)
    {
        var files = List(root);
        return new HrImageFolder([Path.GetFullPath(root)], files);
    }

    /// <summary>
    /// Scans several folders (see <see cref="Scan(string)"/>); each must exist and hold at least one image, and no
    /// folder may be given twice.
    /// </summary>
    /// <exception cref="ArgumentException">No folder, a folder given twice, or a folder without images.</exception>
    /// <exception cref="DirectoryNotFoundException">A folder does not exist.</exception>
    public static HrImageFolder Scan(IReadOnlyList<string> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        if (roots.Count == 0)
        {
            throw new ArgumentException("At least one HR image folder is needed.", nameof(roots));
        }

        var full = roots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r))).ToArray();
        var twice = full.GroupBy(f => f, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new ArgumentException($"HR image folder '{twice.Key}' is given more than once.", nameof(roots));
        }

        return new HrImageFolder(full, roots.SelectMany(List).ToArray());
    }

    private static string[] List(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"HR image folder not found: '{full}'.");
        }

        var files = Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories)
            .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .OrderBy(f => Path.GetRelativePath(full, f).Replace('\\', '/'), StringComparer.Ordinal)
            .ToArray();
        if (files.Length == 0)
        {
            throw new ArgumentException($"No {string.Join("/", Extensions)} image under '{full}'.", nameof(root));
        }

        return files;
    }

    /// <summary>Path of <paramref name="file"/> relative to the folder of <see cref="Roots"/> holding it, with '/' separators and no extension.</summary>
    public string RelativeStem(string file)
    {
        var full = Path.GetFullPath(file);
        var root = Roots.FirstOrDefault(r => full.StartsWith(r.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal)) ?? Root;
        var rel = Path.GetRelativePath(root, full).Replace('\\', '/');
        var ext = Path.GetExtension(rel);
        return ext.Length == 0 ? rel : rel[..^ext.Length];
    }
}
