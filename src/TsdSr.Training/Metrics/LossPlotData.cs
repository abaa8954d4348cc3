namespace TsdSr.Training.Metrics;

/// <summary>What a loss plot shows: a title and the loss terms that carry data, one panel each.</summary>
/// <param name="Title">The plot title (the run's output folder name, or what the caller chooses).</param>
/// <param name="Series">The terms to draw, in column order.</param>
public sealed record LossPlotData(string Title, IReadOnlyList<LossSeries> Series)
{
    /// <summary>
    /// Reads a metrics CSV (<see cref="CsvMetricsLogger"/>) and keeps the <paramref name="columns"/> (null: every
    /// column but <c>step</c>) that carry data: terms that are all zero or all non-finite in this run are left out, so
    /// no panel is empty.
    /// </summary>
    /// <exception cref="ArgumentException">A requested column is not in the file.</exception>
    public static LossPlotData FromCsv(string csvPath, string title, IReadOnlyList<string>? columns = null)
    {
        var data = CsvMetricsLogger.Read(csvPath);
        var names = columns ?? data.Keys.ToList();
        var unknown = names.Where(n => !data.ContainsKey(n)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"'{csvPath}' has no column(s) {string.Join(", ", unknown)}.", nameof(columns));
        }

        return new LossPlotData(title, names.Select(n => new LossSeries(n, data[n])).Where(s => s.HasData).ToList());
    }
}
