namespace TsdSr.Evaluation.Metrics;

/// <summary>A metric value together with the reason it is undefined, when it is.</summary>
/// <param name="Value">The score; NaN when the metric is undefined for the input.</param>
/// <param name="Note">
/// Why <paramref name="Value"/> is NaN, worded to follow the metric's name (the evaluation report writes
/// "image.png: niqe is undefined (NaN): …"); null when the value needs no remark.
/// </param>
public readonly record struct MetricScore(double Value, string? Note = null);
