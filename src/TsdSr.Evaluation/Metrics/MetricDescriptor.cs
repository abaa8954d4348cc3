namespace TsdSr.Evaluation.Metrics;

/// <summary>Everything the registry knows about a metric before creating it.</summary>
/// <param name="Name">Registry name (lower case).</param>
/// <param name="Kind">Which inputs the metric consumes.</param>
/// <param name="LowerIsBetter">Direction of the score.</param>
/// <param name="Description">One line for help output and documentation.</param>
/// <param name="Weights">User-supplied files the metric needs (empty for PSNR/SSIM/NIQE).</param>
/// <param name="Factory">Creates the metric; null when the metric is declared but not implemented in this build.</param>
public sealed record MetricDescriptor(
    string Name,
    MetricKind Kind,
    bool LowerIsBetter,
    string Description,
    IReadOnlyList<RequiredWeight> Weights,
    Func<MetricContext, IImageMetric>? Factory)
{
    /// <summary>Null when the metric can be created in <paramref name="context"/>, else the reason.</summary>
    public MetricUnavailableException? CheckAvailability(MetricContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var w in Weights)
        {
            if (w.Find(context.WeightsDirectory) is null)
            {
                return MetricUnavailableException.MissingWeight(Name, w, context.WeightsDirectory);
            }
        }

        if (Factory is null)
        {
            var needs = Weights.Count == 0 ? "an implementation" : string.Join(" and ", Weights.Select(w => w.Describe()));
            return new MetricUnavailableException(
                Name,
                $"Metric '{Name}' is not available: needs {needs}, and this build has no implementation of it yet (see docs/evaluation.md, 'Adding a metric').",
                Weights.Count == 0 ? null : Weights[0].FileNames[0]);
        }

        return null;
    }
}
