using TorchSharp;

namespace TsdSr.Data.Degradation.Operators;

/// <summary>8-bit rounding: clamp(round(255·x), 0, 255) / 255 (round half to even, as <c>torch.round</c>).</summary>
public static class Quantizer
{
    /// <summary>Returns a new tensor whose values are multiples of 1/255 in [0, 1].</summary>
    public static torch.Tensor To8Bit(torch.Tensor image)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var scope = torch.NewDisposeScope();
        return image.mul(255f).round_().clamp_(0f, 255f).div_(255f).MoveToOuterDisposeScope();
    }
}
