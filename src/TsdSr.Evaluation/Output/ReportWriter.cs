using System.Globalization;
using System.Text;
using System.Text.Json;
using TsdSr.Evaluation.Runner;

namespace TsdSr.Evaluation.Output;

/// <summary>Writes an <see cref="EvaluationReport"/> as a table, CSV or JSON.</summary>
public static class ReportWriter
{
    /// <summary>Parses <c>table</c>, <c>csv</c> or <c>json</c> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Any other text.</exception>
    public static ReportFormat ParseFormat(string text) => text?.Trim().ToLowerInvariant() switch
    {
        "table" => ReportFormat.Table,
        "csv" => ReportFormat.Csv,
        "json" => ReportFormat.Json,
        _ => throw new ArgumentException($"Unknown format '{text}'; use table, csv or json.", nameof(text)),
    };

    /// <summary>Writes <paramref name="report"/> in <paramref name="format"/>.</summary>
    public static void Write(EvaluationReport report, ReportFormat format, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        switch (format)
        {
            case ReportFormat.Csv:
                WriteCsv(report, writer);
                break;
            case ReportFormat.Json:
                WriteJson(report, writer);
                break;
            default:
                WriteTable(report, writer);
                break;
        }
    }

    /// <summary>The report as a string in <paramref name="format"/>.</summary>
    public static string ToString(EvaluationReport report, ReportFormat format)
    {
        using var sw = new StringWriter(CultureInfo.InvariantCulture);
        Write(report, format, sw);
        return sw.ToString();
    }

    private static string Cell(double v) => double.IsNaN(v) ? "" : v.ToString("R", CultureInfo.InvariantCulture);

    private static void WriteCsv(EvaluationReport report, TextWriter w)
    {
        var cols = report.Metrics.Select(m => m.Name).ToList();
        w.WriteLine(string.Join(",", new[] { "image" }.Concat(cols)));
        foreach (var img in report.Images)
        {
            w.WriteLine(string.Join(",", new[] { Quote(img.Name) }.Concat(cols.Select(c => img.Values.TryGetValue(c, out var v) ? Cell(v) : ""))));
        }

        w.WriteLine(string.Join(",", new[] { "mean" }.Concat(cols.Select(c => report.Mean.TryGetValue(c, out var v) ? Cell(v) : ""))));
    }

    private static string Quote(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    private static void WriteJson(EvaluationReport report, TextWriter w)
    {
        using var ms = new MemoryStream();
        using (var j = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            j.WriteStartObject();
            j.WriteStartArray("images");
            foreach (var img in report.Images)
            {
                j.WriteStartObject();
                j.WriteString("name", img.Name);
                foreach (var m in report.Metrics.Where(m => img.Values.ContainsKey(m.Name)))
                {
                    Number(j, m.Name, img.Values[m.Name]);
                }

                j.WriteEndObject();
            }

            j.WriteEndArray();
            j.WriteStartObject("mean");
            foreach (var m in report.Metrics.Where(m => report.Mean.ContainsKey(m.Name)))
            {
                Number(j, m.Name, report.Mean[m.Name]);
            }

            j.WriteEndObject();
            j.WriteEndObject();
        }

        w.Write(Encoding.UTF8.GetString(ms.ToArray()));
        w.WriteLine();
    }

    private static void Number(Utf8JsonWriter j, string name, double v)
    {
        if (double.IsFinite(v))
        {
            j.WriteNumber(name, v);
        }
        else
        {
            j.WriteNull(name);
        }
    }

    private static void WriteTable(EvaluationReport report, TextWriter w)
    {
        var cols = report.Metrics.Select(m => m.Name).ToList();
        var header = new[] { "image" }.Concat(report.Metrics.Select(m => m.Name + (m.LowerIsBetter ? "↓" : "↑"))).ToArray();
        var rows = report.Images.Select(i => new[] { i.Name }.Concat(cols.Select(c => i.Values.TryGetValue(c, out var v) ? Fixed(v) : "-")).ToArray()).ToList();
        rows.Add(new[] { "mean" }.Concat(cols.Select(c => report.Mean.TryGetValue(c, out var v) ? Fixed(v) : "-")).ToArray());
        var widths = Enumerable.Range(0, header.Length).Select(k => Math.Max(header[k].Length, rows.Max(r => r[k].Length))).ToArray();
        string Line(string[] r) => string.Join("  ", r.Select((c, k) => k == 0 ? c.PadRight(widths[k]) : c.PadLeft(widths[k])));
        w.WriteLine(Line(header));
        w.WriteLine(new string('-', widths.Sum() + (2 * (widths.Length - 1))));
        for (int r = 0; r < rows.Count; r++)
        {
            if (r == rows.Count - 1)
            {
                w.WriteLine(new string('-', widths.Sum() + (2 * (widths.Length - 1))));
            }

            w.WriteLine(Line(rows[r]));
        }
    }

    private static string Fixed(double v) => double.IsNaN(v) ? "-" : v.ToString("F4", CultureInfo.InvariantCulture);
}
