namespace TsdSr.Evaluation.Runner;

/// <summary>Per-image values, means and everything worth telling the user about an evaluation.</summary>
public sealed record EvaluationReport
{
    /// <summary>Metrics that ran, in the requested order.</summary>
    public required IReadOnlyList<MetricColumn> Metrics { get; init; }

    /// <summary>Per-image values, sorted by name.</summary>
    public required IReadOnlyList<ImageScores> Images { get; init; }

    /// <summary>Mean of each per-image metric over the images, plus the set-level values (FID).</summary>
    public required IReadOnlyDictionary<string, double> Mean { get; init; }

    /// <summary>Skipped metrics and unpaired files, as sentences.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>SR files without a ground truth of the same name (empty without an HR folder).</summary>
    public required IReadOnlyList<string> UnpairedSr { get; init; }

    /// <summary>Ground-truth files without an SR image of the same name.</summary>
    public required IReadOnlyList<string> UnpairedHr { get; init; }

    /// <summary>Images that could not be evaluated, each with its reason; they are left out of the means.</summary>
    public IReadOnlyList<ImageFailure> Failures { get; init; } = [];

    /// <summary>Metrics of the default set that could not be created (e.g. unreadable weights), each with its reason.</summary>
    public IReadOnlyList<string> MetricFailures { get; init; } = [];

    /// <summary>True when every paired image was evaluated and every requested metric ran.</summary>
    public bool IsComplete => Failures.Count == 0 && MetricFailures.Count == 0;
}
