using TorchSharp;

namespace TsdSr.Inference.ColorFix;

/// <summary>
/// The reference's AdaIN colour fix: per channel, <c>(t − μ_t)/σ_t · σ_s + μ_s</c> with σ = sqrt(unbiased variance +
/// 1e-5), clamped to [0,1]. Only the source's statistics are used, so it may have any size.
/// </summary>
public static class AdaInColorFix
{
    private const double Eps = 1e-5;

    /// <summary>Applies the fix to float images [B,C,H,W] in [0,1]. The caller owns the result.</summary>
    public static torch.Tensor Apply(torch.Tensor target, torch.Tensor source)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(source);
        using var scope = torch.NewDisposeScope();
        var (ms, ss) = MeanStd(source);
        var (mt, st) = MeanStd(target);
        return target.sub(mt).div(st).mul(ss).add(ms).clamp_(0, 1).MoveToOuterDisposeScope();
    }

    private static (torch.Tensor Mean, torch.Tensor Std) MeanStd(torch.Tensor x)
    {
        long b = x.shape[0], c = x.shape[1];
        var flat = x.reshape(b, c, -1);
        var std = flat.var(2).add(Eps).sqrt().reshape(b, c, 1, 1);
        var mean = flat.mean(new long[] { 2 }).reshape(b, c, 1, 1);
        return (mean, std);
    }
}
