namespace TsdSr.Evaluation.Metrics;

/// <summary>What a metric needs as input; decides how the runner feeds it.</summary>
public enum MetricKind
{
    /// <summary>Compares a restored image with its ground truth (PSNR, SSIM, LPIPS, DISTS).</summary>
    FullReference,

    /// <summary>Scores one image alone (NIQE, MUSIQ, MANIQA, CLIPIQA).</summary>
    NoReference,

    /// <summary>Compares two image sets as distributions; one value per folder pair (FID).</summary>
    Distribution,
}
