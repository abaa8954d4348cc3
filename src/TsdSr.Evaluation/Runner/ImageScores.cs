namespace TsdSr.Evaluation.Runner;

/// <summary>Metric values of one image.</summary>
/// <param name="Name">File name (the pairing key).</param>
/// <param name="Values">Metric name → value.</param>
public sealed record ImageScores(string Name, IReadOnlyDictionary<string, double> Values);
