using TsdSr.Evaluation.Color;
using TsdSr.Evaluation.Dists;
using TsdSr.Evaluation.Fid;
using TsdSr.Evaluation.FullReference;
using TsdSr.Evaluation.Lpips;
using TsdSr.Evaluation.NoReference;

namespace TsdSr.Evaluation.Metrics;

/// <summary>The metrics of the paper's Table 1 (and a few variants), as registry entries.</summary>
/// <remarks>
/// MUSIQ, MANIQA and CLIPIQA are declared with the weight file they will need but no factory yet:
/// asking for them yields a <see cref="MetricUnavailableException"/> naming that file, never a placeholder value.
/// </remarks>
public static class BuiltInMetrics
{
    /// <summary>The paper's Table 1 columns, in its order.</summary>
    public static IReadOnlyList<string> PaperMetrics { get; } = ["psnr", "ssim", "lpips", "dists", "fid", "niqe", "musiq", "maniqa", "clipiqa"];

    /// <summary>Every built-in descriptor: the paper's metrics first, then variants.</summary>
    public static IReadOnlyList<MetricDescriptor> All { get; } =
    [
        new("psnr", MetricKind.FullReference, false, "PSNR on Y of YCbCr (pyiqa psnr, test_y_channel, ycbcr)", [], _ => new Psnr()),
        new("ssim", MetricKind.FullReference, false, "SSIM on rounded Y of YCbCr (pyiqa ssim, ycbcr)", [], _ => new Ssim()),
        Lpips(LpipsBackbone.Alex, "lpips", "LPIPS v0.1, AlexNet (pyiqa lpips)"),
        Dists(),
        Fid(),
        new("niqe", MetricKind.NoReference, true, "NIQE on Y of YIQ (pyiqa niqe defaults)", [], _ => new Niqe()),
        new("musiq", MetricKind.NoReference, false, "MUSIQ, KonIQ-10k checkpoint (pyiqa musiq)",
            [Weight("musiq_koniq.safetensors", "pyiqa musiq_koniq_ckpt-e95806b9.pth converted to safetensors")], null),
        new("maniqa", MetricKind.NoReference, false, "MANIQA, PIPAL checkpoint (pyiqa maniqa-pipal)",
            [Weight("maniqa_pipal.safetensors", "pyiqa MANIQA_PIPAL-ae6d356b.pth converted to safetensors")], null),
        new("clipiqa", MetricKind.NoReference, false, "CLIP-IQA, CLIP RN50 with 5 antonym prompts (pyiqa clipiqa)",
            [Weight("clip_rn50.safetensors", "OpenAI CLIP RN50 (RN50.pt) state dict converted to safetensors")], null),
        new("psnr-rgb", MetricKind.FullReference, false, "PSNR on RGB (pyiqa psnr defaults)", [], _ => new Psnr(ColorSpace.Rgb, name: "psnr-rgb")),
        new("ssim-rgb", MetricKind.FullReference, false, "SSIM per RGB channel (pyiqa ssimc)", [], _ => new Ssim(ColorSpace.Rgb, name: "ssim-rgb")),
        Lpips(LpipsBackbone.Vgg16, "lpips-vgg", "LPIPS v0.1, VGG16 (pyiqa lpips-vgg)"),
    ];

    private static RequiredWeight Weight(string file, string format) =>
        new([file, file + ".index.json"], format + "; a sharded .safetensors.index.json is accepted");

    private static MetricDescriptor Fid()
    {
        var (file, format) = FidInception.WeightsFile;
        var weight = new RequiredWeight([file, file + ".index.json"], format);
        return new MetricDescriptor("fid", MetricKind.Distribution, true, "FID between the SR and HR folders (pyiqa fid, clean resize)", [weight],
            ctx => new FidMetric(FidInception.Create(ctx.Require("fid", weight)), ctx.Device));
    }

    private static MetricDescriptor Dists()
    {
        var (file, format) = DistsNetwork.BackboneFile;
        var weight = new RequiredWeight([file, file + ".index.json"], format);
        return new MetricDescriptor("dists", MetricKind.FullReference, true, "DISTS, VGG16 with L2 pooling (pyiqa dists)", [weight],
            ctx => new DistsMetric(DistsNetwork.Create(ctx.Require("dists", weight)), ctx.Device));
    }

    private static MetricDescriptor Lpips(LpipsBackbone backbone, string name, string description)
    {
        var (file, format) = LpipsNetwork.BackboneFile(backbone);
        var weight = new RequiredWeight([file, file + ".index.json"], format);
        return new MetricDescriptor(name, MetricKind.FullReference, true, description, [weight],
            ctx => new LpipsMetric(LpipsNetwork.Create(backbone, ctx.Require(name, weight)), ctx.Device, name));
    }
}
