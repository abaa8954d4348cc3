using TsdSr.Imaging;

namespace TsdSr.Evaluation.Metrics;

/// <summary>A metric that compares a restored image with its ground truth.</summary>
public interface IFullReferenceMetric : IImageMetric
{
    /// <summary>Scores <paramref name="image"/> against <paramref name="reference"/> (same size, 8-bit RGB).</summary>
    /// <exception cref="ArgumentException">The sizes differ or the image is too small for the metric.</exception>
    double Compute(RgbImage image, RgbImage reference);
}
