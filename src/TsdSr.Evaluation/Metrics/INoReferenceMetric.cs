using TsdSr.Imaging;

namespace TsdSr.Evaluation.Metrics;

/// <summary>A metric that scores a single image without ground truth.</summary>
public interface INoReferenceMetric : IImageMetric
{
    /// <summary>Scores <paramref name="image"/> (8-bit RGB).</summary>
    /// <exception cref="ArgumentException">The image is too small for the metric.</exception>
    double Compute(RgbImage image);
}
