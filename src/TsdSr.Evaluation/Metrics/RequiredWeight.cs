namespace TsdSr.Evaluation.Metrics;

/// <summary>A user-supplied weight file a metric needs, looked up in the weights directory.</summary>
/// <param name="FileNames">Accepted file names, first preferred (e.g. a single file or a shard index).</param>
/// <param name="Format">Human-readable description of the expected content, quoted in errors.</param>
public sealed record RequiredWeight(IReadOnlyList<string> FileNames, string Format)
{
    /// <summary>The first accepted name that exists in <paramref name="weightsDirectory"/>, or null.</summary>
    public string? Find(string? weightsDirectory)
    {
        if (string.IsNullOrEmpty(weightsDirectory))
        {
            return null;
        }

        return FileNames.Select(n => Path.Combine(weightsDirectory, n)).FirstOrDefault(File.Exists);
    }

    /// <summary>Message fragment naming the file(s) and the format.</summary>
    public string Describe() => $"'{string.Join("' or '", FileNames)}' ({Format})";
}
