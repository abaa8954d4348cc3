using TorchSharp;

namespace TsdSr.Evaluation.Metrics;

/// <summary>What a metric factory may use: where user-supplied weights live and which device to run on.</summary>
public sealed record MetricContext
{
    /// <summary>Folder holding user-supplied weight files (backbones); null when none was given.</summary>
    public string? WeightsDirectory { get; init; }

    /// <summary>Device for network metrics; null means CPU.</summary>
    public torch.Device? Device { get; init; }

    /// <summary>Resolves <paramref name="weight"/> in <see cref="WeightsDirectory"/> or throws a precise error.</summary>
    /// <exception cref="MetricUnavailableException">No accepted file exists.</exception>
    public string Require(string metricName, RequiredWeight weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        return weight.Find(WeightsDirectory) ?? throw MetricUnavailableException.MissingWeight(metricName, weight, WeightsDirectory);
    }
}
