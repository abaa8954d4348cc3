namespace TsdSr.Evaluation.Metrics;

/// <summary>A metric cannot run: a weight file is missing or the metric is not part of this build.</summary>
public sealed class MetricUnavailableException : Exception
{
    /// <summary>Creates the exception with a complete message.</summary>
    public MetricUnavailableException(string metricName, string message, string? missingFile = null)
        : base(message)
    {
        MetricName = metricName;
        MissingFile = missingFile;
    }

    /// <summary>Registry name of the metric.</summary>
    public string MetricName { get; }

    /// <summary>The weight file that was looked for, when a file is the reason.</summary>
    public string? MissingFile { get; }

    /// <summary>The error for a weight file that is not in the weights directory.</summary>
    public static MetricUnavailableException MissingWeight(string metricName, RequiredWeight weight, string? weightsDirectory)
    {
        ArgumentNullException.ThrowIfNull(weight);
        var where = string.IsNullOrEmpty(weightsDirectory)
            ? "no weights directory was given (--weights DIR)"
            : $"not found in '{Path.GetFullPath(weightsDirectory)}'";
        return new MetricUnavailableException(
            metricName,
            $"Metric '{metricName}' is not available: needs {weight.Describe()}; {where}.",
            weight.FileNames[0]);
    }
}
