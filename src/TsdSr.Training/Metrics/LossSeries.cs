namespace TsdSr.Training.Metrics;

/// <summary>One loss term of a run: its metrics-CSV column name and its (step, value) points in step order.</summary>
/// <param name="Name">The column name, used as the panel title and legend entry.</param>
/// <param name="Points">The logged values; non-finite values are kept (a plotter skips them).</param>
public sealed record LossSeries(string Name, IReadOnlyList<(long Step, double Value)> Points)
{
    /// <summary>
    /// True when the term carries information: at least one finite value that is not zero. A term whose weight is 0 in
    /// this run logs only zeros and would be an empty panel.
    /// </summary>
    public bool HasData => Points.Any(p => double.IsFinite(p.Value) && p.Value != 0);
}
