namespace TsdSr.Data.Datasets;

/// <summary>The high-resolution images under a folder (recursive), in a stable order.</summary>
public sealed class HrImageFolder
{
    private HrImageFolder(string root, IReadOnlyList<string> files)
    {
        Root = root;
        Files = files;
    }

    /// <summary>Extensions that are picked up (case-insensitive).</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".png", ".jpg", ".jpeg", ".webp"];

    /// <summary>The scanned folder (full path).</summary>
    public string Root { get; }

    /// <summary>Full paths of the images, sorted ordinally by their path relative to <see cref="Root"/>.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Scans <paramref name="root"/> recursively for PNG, JPEG and WebP files.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="ArgumentException">The folder holds no image.</exception>
    public static HrImageFolder Scan(string root)
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

        return new HrImageFolder(full, files);
    }

    /// <summary>Path of <paramref name="file"/> relative to <see cref="Root"/>, with '/' separators and no extension.</summary>
    public string RelativeStem(string file)
    {
        var rel = Path.GetRelativePath(Root, file).Replace('\\', '/');
        var ext = Path.GetExtension(rel);
        return ext.Length == 0 ? rel : rel[..^ext.Length];
    }
}
