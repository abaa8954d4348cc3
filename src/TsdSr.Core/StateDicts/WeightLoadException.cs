namespace TsdSr.Core.StateDicts;

/// <summary>A weight file does not fit a module: it lists the missing, unexpected and mis-shaped keys.</summary>
public sealed class WeightLoadException : Exception
{
    private const int ListedPerKind = 20;

    /// <summary>Creates the exception from a load report.</summary>
    public WeightLoadException(WeightLoadReport report)
        : base(Format(report))
    {
        Report = report;
        Data["Missing"] = string.Join("\n", report.Missing);
        Data["Unexpected"] = string.Join("\n", report.Unexpected);
        Data["Mismatched"] = string.Join("\n", report.Mismatched.Select(m => m.ToString()));
        Data["WrongDTypes"] = string.Join("\n", report.WrongDTypes.Select(m => m.ToString()));
        Data["NonFinite"] = string.Join("\n", report.NonFinite);
    }

    /// <summary>The full report (every key).</summary>
    public WeightLoadReport Report { get; }

    private static string Format(WeightLoadReport r)
    {
        var parts = new List<string> { $"Weights from '{r.Source}' do not match the model." };
        Add(parts, "missing from the file", r.Missing);
        Add(parts, "unexpected in the file", r.Unexpected);
        Add(parts, "with a different shape", r.Mismatched.Select(m => m.ToString()).ToList());
        Add(parts, "with values of another kind (not convertible)", r.WrongDTypes.Select(m => m.ToString()).ToList());
        Add(parts, "holding NaN or infinite values", r.NonFinite);
        return string.Join(Environment.NewLine, parts);
    }

    private static void Add(List<string> parts, string what, IReadOnlyList<string> keys)
    {
        if (keys.Count == 0)
        {
            return;
        }

        parts.Add($"{keys.Count} key(s) {what}:");
        parts.AddRange(keys.Take(ListedPerKind).Select(k => "  " + k));
        if (keys.Count > ListedPerKind)
        {
            parts.Add($"  … and {keys.Count - ListedPerKind} more (see Report).");
        }
    }
}
