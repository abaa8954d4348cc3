namespace TsdSr.Evaluation.Metrics;

/// <summary>Common surface of every metric, so that runners and writers treat them alike.</summary>
/// <remarks>Metrics may hold native tensors (network weights), hence <see cref="IDisposable"/>.</remarks>
public interface IImageMetric : IDisposable
{
    /// <summary>Registry name, lower case, as used on the command line (e.g. <c>psnr</c>).</summary>
    string Name { get; }

    /// <summary>True when a smaller value means better quality (LPIPS, DISTS, NIQE, FID).</summary>
    bool LowerIsBetter { get; }

    /// <summary>Which inputs the metric consumes.</summary>
    MetricKind Kind { get; }
}
