using TsdSr.Evaluation.Color;
using TsdSr.Evaluation.Metrics;
using TsdSr.Imaging;

namespace TsdSr.Evaluation.FullReference;

/// <summary>
/// A pixel-statistics full-reference metric (PSNR, SSIM): higher is better, compared on a chosen colour space after
/// removing <see cref="CropBorder"/> pixels from each side of both images, which must have the same size.
/// </summary>
public abstract class PixelMetric : IFullReferenceMetric
{
    /// <summary>Stores the settings.</summary>
    /// <param name="colorSpace">Channel(s) to compare; YCbCr Y is the SR papers' setting.</param>
    /// <param name="cropBorder">Pixels removed from each side before comparing (0 in the papers).</param>
    /// <param name="name">Registry name to report under.</param>
    protected PixelMetric(ColorSpace colorSpace, int cropBorder, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cropBorder);
        ColorSpace = colorSpace;
        CropBorder = cropBorder;
        Name = name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public bool LowerIsBetter => false;

    /// <inheritdoc />
    public MetricKind Kind => MetricKind.FullReference;

    /// <summary>Channel(s) compared.</summary>
    public ColorSpace ColorSpace { get; }

    /// <summary>Pixels removed from each side.</summary>
    public int CropBorder { get; }

    /// <inheritdoc />
    public double Compute(RgbImage image, RgbImage reference)
    {
        ImageCrop.RequireSameSize(image, reference);
        return Score(ImageCrop.Crop(image, CropBorder), ImageCrop.Crop(reference, CropBorder));
    }

    /// <inheritdoc />
    public void Dispose() => GC.SuppressFinalize(this);

    /// <summary>The metric on the cropped image <paramref name="a"/> and reference <paramref name="b"/> (same size).</summary>
    protected abstract double Score(RgbImage a, RgbImage b);
}
