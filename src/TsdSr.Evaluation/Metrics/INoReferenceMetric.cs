using TsdSr.Imaging;

namespace TsdSr.Evaluation.Metrics;

/// <summary>A metric that scores a single image without ground truth.</summary>
public interface INoReferenceMetric : IImageMetric
{
    /// <summary>Scores <paramref name="image"/> (8-bit RGB).</summary>
    /// <exception cref="ArgumentException">The image is too small for the metric.</exception>
    double Compute(RgbImage image);

    /// <summary>
    /// Scores <paramref name="image"/> and says why the value is NaN when the metric is undefined for it (NIQE of an
    /// image whose every block is flat, for instance). Metrics without such cases need not override it.
    /// </summary>
    /// <exception cref="ArgumentException">The image is too small for the metric.</exception>
    MetricScore Score(RgbImage image) => new(Compute(image));
}
