namespace TsdSr.Models.Lora;

/// <summary>LoRA files cannot be blended: lists every difference found (keys, shapes, dtypes, configuration) or the non-finite results.</summary>
public sealed class LoraBlendException : Exception
{
    private const int Listed = 20;

    /// <summary>Creates the exception from the problems found.</summary>
    public LoraBlendException(IReadOnlyList<string> problems)
        : base(Format(problems))
    {
        Problems = problems;
    }

    /// <summary>Every problem, one sentence each.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Format(IReadOnlyList<string> problems)
    {
        var lines = new List<string> { "The LoRA files cannot be blended (nothing was written):" };
        lines.AddRange(problems.Take(Listed).Select(p => "  " + p));
        if (problems.Count > Listed)
        {
            lines.Add($"  … and {problems.Count - Listed} more.");
        }

        return string.Join(Environment.NewLine, lines);
    }
}
