namespace TsdSr.Core.Files;

/// <summary>
/// The check every reader of a user-supplied file runs before opening it. Opening a FIFO for reading blocks until a
/// writer appears (forever, in practice), and a device never ends; .NET exposes no file type, but every such entry
/// reports a length of 0, and no weight, config, embedding or image file is ever validly empty. So an empty entry is
/// refused before it is opened, which accepts regular files with content only.
/// </summary>
public static class RegularFile
{
    /// <summary>
    /// Why <paramref name="path"/> cannot be read as a regular file with content, as a sentence about "it" (callers name
    /// the file), or null when it can. Missing files and folders are described too.
    /// </summary>
    /// <param name="path">The file (relative paths resolve against the working folder).</param>
    public static string? Problem(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            return "it is a folder, not a file.";
        }

        var info = new FileInfo(full);
        if (!info.Exists)
        {
            return "it does not exist.";
        }

        return info.Length == 0
            ? "it is empty (0 bytes) or not a regular file (a FIFO, socket or device); only regular files with content are read."
            : null;
    }

    /// <summary>Throws unless <paramref name="path"/> is a regular file with content.</summary>
    /// <param name="path">The file.</param>
    /// <param name="what">What the file is, for the message (e.g. "Safetensors file").</param>
    /// <exception cref="FileNotFoundException">The file does not exist (or is a folder).</exception>
    /// <exception cref="InvalidDataException">The file is empty, or a FIFO, socket or device.</exception>
    public static void Require(string path, string what)
    {
        var problem = Problem(path);
        if (problem is null)
        {
            return;
        }

        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"{what} '{full}' not found: {problem}", full);
        }

        throw new InvalidDataException($"{what} '{full}': {problem}");
    }

    /// <summary>
    /// Reads a small text file (a JSON config, an index) after <see cref="Require"/>, refusing files over
    /// <paramref name="maxBytes"/> so that a huge file is named instead of read into memory.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="what">What the file is, for the message (e.g. "Transformer config").</param>
    /// <param name="maxBytes">Largest accepted size; default 16 MiB (diffusers configs are a few KB).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty, not a regular file, or too large.</exception>
    public static string ReadSmallText(string path, string what, long maxBytes = DefaultMaxTextBytes)
    {
        Require(path, what);
        var full = Path.GetFullPath(path);
        long length = new FileInfo(full).Length;
        if (length > maxBytes)
        {
            throw new InvalidDataException($"{what} '{full}' has {length} bytes, more than the {maxBytes} accepted for a text file of this kind.");
        }

        return File.ReadAllText(full);
    }

    /// <summary>The default size limit of <see cref="ReadSmallText"/> (16 MiB).</summary>
    public const long DefaultMaxTextBytes = 16L << 20;
}
