using TsdSr.Evaluation.Color;
using TsdSr.Evaluation.FullReference;
using TsdSr.Evaluation.NoReference;

namespace TsdSr.Evaluation.Metrics;

/// <summary>The metrics of the paper's Table 1 (and a few variants), as registry entries.</summary>
public static class BuiltInMetrics
{
    /// <summary>Every built-in descriptor, in the paper's column order first.</summary>
    public static IReadOnlyList<MetricDescriptor> All { get; } =
    [
        new("psnr", MetricKind.FullReference, false, "PSNR on Y of YCbCr (pyiqa psnr, test_y_channel, ycbcr)", [], _ => new Psnr()),
        new("ssim", MetricKind.FullReference, false, "SSIM on rounded Y of YCbCr (pyiqa ssim, ycbcr)", [], _ => new Ssim()),
        new("niqe", MetricKind.NoReference, true, "NIQE on Y of YIQ (pyiqa niqe defaults)", [], _ => new Niqe()),
        new("psnr-rgb", MetricKind.FullReference, false, "PSNR on RGB (pyiqa psnr defaults)", [], _ => new Psnr(ColorSpace.Rgb, name: "psnr-rgb")),
        new("ssim-rgb", MetricKind.FullReference, false, "SSIM per RGB channel (pyiqa ssimc)", [], _ => new Ssim(ColorSpace.Rgb, name: "ssim-rgb")),
    ];
}
