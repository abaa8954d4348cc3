namespace TsdSr.Evaluation.Metrics;

/// <summary>A set-level metric that compares two folders of images (FID).</summary>
public interface IDistributionMetric : IImageMetric
{
    /// <summary>One value for the pair of image sets (e.g. restored vs ground truth).</summary>
    double Compute(IReadOnlyList<string> imagePaths, IReadOnlyList<string> referencePaths, CancellationToken cancellationToken = default);
}
