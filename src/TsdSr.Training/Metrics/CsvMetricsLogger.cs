using System.Globalization;
using System.Text;

namespace TsdSr.Training.Metrics;

/// <summary>
/// Per-step metrics as CSV (<c>step,col1,col2,…</c>), one row per call, flushed at once so a killed run keeps every
/// logged step. Reopening an existing file with the same header appends; rows after the resume step are dropped first
/// (they belong to steps the resumed run will redo).
/// </summary>
public sealed class CsvMetricsLogger : IDisposable
{
    private readonly StreamWriter writer;
    private readonly Dictionary<string, int> index;

    private CsvMetricsLogger(string path, IReadOnlyList<string> columns, StreamWriter writer)
    {
        Path = path;
        Columns = columns;
        this.writer = writer;
        index = columns.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
    }

    /// <summary>The CSV file.</summary>
    public string Path { get; }

    /// <summary>The value columns (after <c>step</c>).</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Opens (or creates) the log.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="columns">Value column names (no commas, quotes or line breaks; not "step").</param>
    /// <param name="resumeStep">When the file exists: keep only rows with step ≤ this (null keeps all).</param>
    /// <exception cref="ArgumentException">Bad column names.</exception>
    /// <exception cref="InvalidDataException">The existing file has another header.</exception>
    public static CsvMetricsLogger Open(string path, IReadOnlyList<string> columns, long? resumeStep = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0 || columns.Any(c => string.IsNullOrEmpty(c) || c == "step" || c.IndexOfAny([',', '"', '\n', '\r']) >= 0)
            || columns.Distinct(StringComparer.Ordinal).Count() != columns.Count)
        {
            throw new ArgumentException("Metric columns must be unique, non-empty, not 'step', and free of commas, quotes and line breaks.", nameof(columns));
        }

        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var header = "step," + string.Join(",", columns);
        if (File.Exists(full) && new FileInfo(full).Length > 0)
        {
            var lines = File.ReadAllLines(full);
            if (lines[0] != header)
            {
                throw new InvalidDataException($"'{full}' has the header '{lines[0]}', expected '{header}'; use another metrics file.");
            }

            var kept = lines.Skip(1).Where(l => l.Length > 0 && (resumeStep is null || ParseStep(l) is long s && s <= resumeStep)).Prepend(header);
            File.WriteAllLines(full, kept);
            var append = new StreamWriter(new FileStream(full, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false));
            return new CsvMetricsLogger(full, columns.ToList(), append);
        }

        var w = new StreamWriter(new FileStream(full, FileMode.Create, FileAccess.Write, FileShare.Read), new UTF8Encoding(false));
        w.WriteLine(header);
        w.Flush();
        return new CsvMetricsLogger(full, columns.ToList(), w);
    }

    /// <summary>Writes one row; columns not given stay empty.</summary>
    /// <exception cref="ArgumentException">A name is not a column.</exception>
    public void Log(long step, IReadOnlyDictionary<string, double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var cells = new string[Columns.Count];
        foreach (var (name, value) in values)
        {
            if (!index.TryGetValue(name, out int i))
            {
                throw new ArgumentException($"'{name}' is not a metrics column ({string.Join(", ", Columns)}).", nameof(values));
            }

            cells[i] = value.ToString("R", CultureInfo.InvariantCulture);
        }

        writer.WriteLine(step.ToString(CultureInfo.InvariantCulture) + "," + string.Join(",", cells.Select(c => c ?? string.Empty)));
        writer.Flush();
    }

    /// <summary>Reads a metrics CSV: column name → (step, value) points, empty and non-numeric cells skipped.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<(long Step, double Value)>> Read(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || !lines[0].StartsWith("step,", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"'{path}' is not a metrics CSV (expected a 'step,…' header).");
        }

        var names = lines[0].Split(',')[1..];
        var series = names.ToDictionary(n => n, _ => new List<(long, double)>(), StringComparer.Ordinal);
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var cells = line.Split(',');
            if (!long.TryParse(cells[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long step))
            {
                continue;
            }

            for (int i = 1; i < cells.Length && i <= names.Length; i++)
            {
                if (double.TryParse(cells[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                {
                    series[names[i - 1]].Add((step, v));
                }
            }
        }

        return series.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<(long, double)>)kv.Value, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public void Dispose() => writer.Dispose();

    private static long? ParseStep(string line)
    {
        var comma = line.IndexOf(',');
        return long.TryParse(comma < 0 ? line : line[..comma], NumberStyles.Integer, CultureInfo.InvariantCulture, out long s) ? s : null;
    }
}
