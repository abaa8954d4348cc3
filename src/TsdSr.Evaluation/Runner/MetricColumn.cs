namespace TsdSr.Evaluation.Runner;

/// <summary>A metric that produced values in a report.</summary>
/// <param name="Name">Registry name.</param>
/// <param name="LowerIsBetter">Direction of the score (for ↑/↓ in tables).</param>
/// <param name="SetLevel">True for one-value-per-set metrics (FID), which have no per-image values.</param>
public sealed record MetricColumn(string Name, bool LowerIsBetter, bool SetLevel);
