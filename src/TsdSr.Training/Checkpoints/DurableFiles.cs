using System.Security.Cryptography;
using System.Text;

namespace TsdSr.Training.Checkpoints;

/// <summary>File helpers for crash-safe saving: write-and-fsync, atomic replace, hashing.</summary>
internal static class DurableFiles
{
    /// <summary>Writes a file and flushes it to disk before returning.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        using var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        fs.Write(bytes);
        fs.Flush(flushToDisk: true);
    }

    /// <summary>Writes UTF-8 text and flushes it to disk.</summary>
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, Encoding.UTF8.GetBytes(text));

    /// <summary>Writes through a stream callback and flushes it to disk.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        using var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        write(fs);
        fs.Flush(flushToDisk: true);
    }

    /// <summary>Replaces <paramref name="path"/> atomically with new text (temporary file, fsync, rename).</summary>
    public static void ReplaceText(string path, string text)
    {
        using var temp = TsdSr.Core.Files.TemporaryFiles.Create(path);
        WriteAllText(temp.Path, text);
        temp.Commit(path, overwrite: true);
    }

    /// <summary>Lower-case hex SHA-256 of a file.</summary>
    public static string Sha256(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(fs));
    }
}
