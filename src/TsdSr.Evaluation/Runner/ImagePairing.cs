using TsdSr.Imaging;

namespace TsdSr.Evaluation.Runner;

/// <summary>Pairs SR and HR (and LR) images by file name and checks their sizes before any metric runs.</summary>
public static class ImagePairing
{
    /// <summary>The result of pairing.</summary>
    /// <param name="Names">File names to evaluate (paired ones when an HR folder is given), sorted ordinally.</param>
    /// <param name="UnpairedSr">SR names without a ground truth.</param>
    /// <param name="UnpairedHr">Ground-truth names without an SR image.</param>
    /// <param name="MissingLr">Evaluated names without an LR image (empty without an LR folder).</param>
    public sealed record Result(IReadOnlyList<string> Names, IReadOnlyList<string> UnpairedSr, IReadOnlyList<string> UnpairedHr, IReadOnlyList<string> MissingLr)
    {
        /// <summary>Pairs left out of <see cref="Names"/> because a header cannot be read or the sizes differ, each with its reason.</summary>
        public IReadOnlyList<ImageFailure> Failures { get; init; } = [];
    }

    /// <summary>Image file names (supported extensions) in <paramref name="directory"/>, sorted ordinally.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static IReadOnlyList<string> ListImages(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Image folder not found: '{Path.GetFullPath(directory)}'.");
        }

        return Directory.EnumerateFiles(directory)
            .Select(Path.GetFileName)
            .Where(n => n is not null && ImageCodec.SupportedExtensions.Contains(Path.GetExtension(n).ToLowerInvariant()))
            .Select(n => n!)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Pairs by identical file name and verifies, from the headers, that paired images have equal sizes. A pair whose
    /// header cannot be read or whose sizes differ is left out with its reason (<see cref="Result.Failures"/>); one bad
    /// file never stops the others.
    /// </summary>
    public static Result Pair(string srDirectory, string? hrDirectory, string? lrDirectory = null)
    {
        var failures = new List<ImageFailure>();
        var sr = ListImages(srDirectory);
        IReadOnlyList<string> names = sr;
        IReadOnlyList<string> unpairedSr = [], unpairedHr = [], missingLr = [];
        if (hrDirectory is not null)
        {
            var hr = ListImages(hrDirectory);
            var hrSet = hr.ToHashSet(StringComparer.Ordinal);
            var srSet = sr.ToHashSet(StringComparer.Ordinal);
            var paired = sr.Where(hrSet.Contains).ToList();
            unpairedSr = sr.Where(n => !hrSet.Contains(n)).ToList();
            unpairedHr = hr.Where(n => !srSet.Contains(n)).ToList();
            var usable = new List<string>();
            foreach (var n in paired)
            {
                string a = Path.Combine(srDirectory, n), b = Path.Combine(hrDirectory, n);
                try
                {
                    var sa = ImageCodec.Identify(a);
                    var sb = ImageCodec.Identify(b);
                    if (sa != sb)
                    {
                        failures.Add(new ImageFailure(n, $"Size mismatch: '{Path.GetFullPath(a)}' is {sa.Width}x{sa.Height} but '{Path.GetFullPath(b)}' is {sb.Width}x{sb.Height}."));
                        continue;
                    }
                }
                catch (Exception e) when (e is ImageFormatException or IOException or UnauthorizedAccessException)
                {
                    failures.Add(new ImageFailure(n, e.Message));
                    continue;
                }

                usable.Add(n);
            }

            names = usable;
        }

        if (lrDirectory is not null)
        {
            var lr = ListImages(lrDirectory).ToHashSet(StringComparer.Ordinal);
            missingLr = names.Where(n => !lr.Contains(n)).ToList();
        }

        return new Result(names, unpairedSr, unpairedHr, missingLr) { Failures = failures };
    }
}
