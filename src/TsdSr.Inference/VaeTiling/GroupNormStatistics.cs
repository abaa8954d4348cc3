using TorchSharp;

namespace TsdSr.Inference.VaeTiling;

/// <summary>
/// Exact GroupNorm statistics of a whole feature map, accumulated band by band in float64 with two passes (mean, then
/// the centred sum of squares), so no full-size temporary is created and no precision is lost to cancellation.
/// </summary>
internal static class GroupNormStatistics
{
    private const long BandElements = 1L << 22;

    /// <summary>Per-channel (mean, 1/√(var + eps)) [1,C,1,1] in <paramref name="x"/>'s dtype; biased variance as GroupNorm.</summary>
    public static (torch.Tensor Mean, torch.Tensor Rstd) Compute(torch.Tensor x, long groups, double eps)
    {
        using var scope = torch.NewDisposeScope();
        long c = x.shape[1], h = x.shape[2], w = x.shape[3];
        long band = Math.Max(1, BandElements / Math.Max(1, c * w));
        double count = (double)(c / groups) * h * w;
        var sum = torch.zeros(groups, torch.ScalarType.Float64, x.device);
        foreach (var slice in Bands(x, h, band))
        {
            using var s = torch.NewDisposeScope();
            sum.add_(slice.to(torch.ScalarType.Float64).reshape(groups, -1).sum(1));
        }

        var mean = sum.div(count);
        var m2 = torch.zeros(groups, torch.ScalarType.Float64, x.device);
        var meanView = mean.reshape(groups, 1);
        foreach (var slice in Bands(x, h, band))
        {
            using var s = torch.NewDisposeScope();
            m2.add_(slice.to(torch.ScalarType.Float64).reshape(groups, -1).sub(meanView).square().sum(1));
        }

        var rstd = m2.div(count).add(eps).rsqrt();
        long perGroup = c / groups;
        var meanC = mean.repeat_interleave(perGroup).reshape(1, c, 1, 1).to(x.dtype);
        var rstdC = rstd.repeat_interleave(perGroup).reshape(1, c, 1, 1).to(x.dtype);
        return (meanC.MoveToOuterDisposeScope(), rstdC.MoveToOuterDisposeScope());
    }

    // Bands of rows, each made contiguous as [C, rows, W] so that a [groups, −1] reshape groups whole channels.
    private static IEnumerable<torch.Tensor> Bands(torch.Tensor x, long h, long band)
    {
        for (long y = 0; y < h; y += band)
        {
            yield return x[0].narrow(1, y, Math.Min(band, h - y));
        }
    }
}
