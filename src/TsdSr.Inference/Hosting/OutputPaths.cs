using TsdSr.Imaging;

namespace TsdSr.Inference.Hosting;

/// <summary>
/// Where an upscale writes, and when it must refuse to: the one rule the library and the <c>tsdsr upscale</c> command
/// share. An output is never written onto its own input, and an existing file is replaced only when overwriting was
/// asked for.
/// </summary>
public static class OutputPaths
{
    /// <summary>The extension of outputs whose name is derived from the input (folder outputs).</summary>
    public const string DefaultExtension = ".png";

    private static readonly StringComparer PathComparer = OperatingSystem.IsLinux() ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;

    /// <summary>
    /// Whether <paramref name="outputPath"/> names a folder: it exists as one, ends with a directory separator, or has no
    /// extension.
    /// </summary>
    public static bool IsFolder(string outputPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        return Directory.Exists(outputPath) || Path.EndsInDirectorySeparator(outputPath) || !Path.HasExtension(outputPath);
    }

    /// <summary>
    /// The output file for <paramref name="inputPath"/>: <c>&lt;folder&gt;/&lt;input base name&gt;.png</c> when
    /// <paramref name="outputPath"/> is a folder (<see cref="IsFolder"/>), else <paramref name="outputPath"/> itself (its
    /// extension chooses the format). Full paths.
    /// </summary>
    public static string ForInput(string inputPath, string outputPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(inputPath);
        return IsFolder(outputPath)
            ? Path.Combine(Path.GetFullPath(outputPath), Path.GetFileNameWithoutExtension(inputPath) + DefaultExtension)
            : Path.GetFullPath(outputPath);
    }

    /// <summary>Why <paramref name="inputPath"/> must not be written to <paramref name="outputPath"/>, or null when it may.</summary>
    /// <param name="inputPath">The input file.</param>
    /// <param name="outputPath">The output file (already resolved, see <see cref="ForInput"/>).</param>
    /// <param name="overwrite">Whether replacing an existing file was asked for.</param>
    public static string? Conflict(string inputPath, string outputPath, bool overwrite)
    {
        var output = Path.GetFullPath(outputPath);
        if (SameFile(inputPath, output))
        {
            return $"the output '{output}' is the input itself; an output is never written onto its input. Choose another output path.";
        }

        if (Directory.Exists(output))
        {
            return $"the output '{output}' is a folder.";
        }

        if (ImageCodec.SaveProblem(output, hasAlpha: false) is { } format)
        {
            return $"cannot write '{output}': {format}";
        }

        return !overwrite && File.Exists(output)
            ? $"the output '{output}' already exists; pass --overwrite (TsdSrOptions.OverwriteOutputs) to replace it."
            : null;
    }

    /// <summary>Whether two paths name the same file (after resolving a symbolic link at the end of either).</summary>
    public static bool SameFile(string a, string b) => PathComparer.Equals(Resolve(a), Resolve(b));

    /// <summary>The comparer for paths on this OS (ordinal on Linux, case-insensitive elsewhere).</summary>
    internal static StringComparer Comparer => PathComparer;

    private static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            return new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        }
        catch (IOException)
        {
            return full; // a broken or looping link names no file we could overwrite
        }
    }
}
