namespace TsdSr.Evaluation.Runner;

/// <summary>Metric values of one image.</summary>
/// <param name="Name">File name (the pairing key).</param>
/// <param name="Values">Metric name → value.</param>
public sealed record ImageScores(string Name, IReadOnlyDictionary<string, double> Values)
{
    /// <summary>
    /// Why a metric has no value for this image (metric name → reason): it failed on this image, or returned NaN. The
    /// value is then NaN and left out of the mean.
    /// </summary>
    public IReadOnlyDictionary<string, string> Notes { get; init; } = new Dictionary<string, string>();
}
