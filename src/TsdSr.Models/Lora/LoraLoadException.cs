namespace TsdSr.Models.Lora;

/// <summary>A LoRA file does not fit the model (strict load): lists the unmatched and mis-shaped keys by name.</summary>
public sealed class LoraLoadException : Exception
{
    private const int Listed = 20;

    /// <summary>Creates the exception from a load report.</summary>
    public LoraLoadException(LoraLoadReport report)
        : base(Format(report))
    {
        Report = report;
    }

    /// <summary>The full report (every key).</summary>
    public LoraLoadReport Report { get; }

    private static string Format(LoraLoadReport r)
    {
        var parts = new List<string> { $"LoRA file '{r.Source}' does not fit the model (adapter '{r.Adapter}'; nothing was changed)." };
        if (r.Modules.Count == 0 && r.Unmatched.Count == 0 && r.Mismatched.Count == 0 && r.Missing.Count == 0 && r.WrongDTypes.Count == 0)
        {
            parts.Add("The file holds no LoRA key for this component.");
        }

        Add(parts, "match no LoRA-capable layer", r.Unmatched);
        Add(parts, "are missing from the file (their partner is present)", r.Missing);
        Add(parts, "have a shape that does not fit their layer", r.Mismatched.Select(m => m.ToString()).ToList());
        Add(parts, "hold values of another kind than their layer", r.WrongDTypes.Select(m => m.ToString()).ToList());
        Add(parts, "hold NaN or infinite values", r.NonFinite);
        return string.Join(Environment.NewLine, parts);
    }

    private static void Add(List<string> parts, string what, IReadOnlyList<string> keys)
    {
        if (keys.Count == 0)
        {
            return;
        }

        parts.Add($"{keys.Count} key(s) {what}:");
        parts.AddRange(keys.Take(Listed).Select(k => "  " + k));
        if (keys.Count > Listed)
        {
            parts.Add($"  … and {keys.Count - Listed} more (see Report).");
        }
    }
}
