using TorchSharp;

namespace TsdSr.Inference.Preprocessing;

/// <summary>Turns an input image tensor into the VAE input, as the reference does.</summary>
public static class PixelPreprocessor
{
    /// <summary>
    /// [1,3,h,w] in [0,1] → torch bicubic (A = −0.75, align_corners false) to the process size → ·2 − 1 → clamp to
    /// [−1, 1]. The caller owns the result.
    /// </summary>
    public static torch.Tensor ToModelInput(torch.Tensor image01, SizePlan plan)
    {
        ArgumentNullException.ThrowIfNull(image01);
        ArgumentNullException.ThrowIfNull(plan);
        using var scope = torch.NewDisposeScope();
        var resized = torch.nn.functional.interpolate(
            image01,
            size: new long[] { plan.ProcessHeight, plan.ProcessWidth },
            mode: torch.InterpolationMode.Bicubic,
            align_corners: false);
        // In place: the same arithmetic without three more full-size temporaries.
        return resized.mul_(2).sub_(1).clamp_(-1, 1).MoveToOuterDisposeScope();
    }
}
