namespace TsdSr.Evaluation.Runner;

/// <summary>Reported after each image.</summary>
/// <param name="Done">Images finished.</param>
/// <param name="Total">Images to evaluate.</param>
/// <param name="ImageName">File name of the image just finished.</param>
/// <param name="Values">Its metric values.</param>
public sealed record EvaluationProgress(int Done, int Total, string ImageName, IReadOnlyDictionary<string, double> Values)
{
    /// <summary>Why the image could not be evaluated (then <see cref="Values"/> is empty), or null.</summary>
    public string? Error { get; init; }

    /// <summary>Why some metric has no value for this image (metric → reason).</summary>
    public IReadOnlyDictionary<string, string> Notes { get; init; } = new Dictionary<string, string>();
}
