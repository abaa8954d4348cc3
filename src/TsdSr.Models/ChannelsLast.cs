using static TorchSharp.torch;

namespace TsdSr.Models;

/// <summary>
/// Channels-last (NHWC) memory layout for 4-D maps and conv weights. TorchSharp 0.107 has no
/// <c>memory_format</c> argument, but libtorch decides the layout from the strides: a [N, C, H, W] tensor whose
/// memory is ordered N, H, W, C is channels-last, and convolutions, group norms and upsampling keep it.
/// </summary>
public static class ChannelsLast
{
    /// <summary>True when <paramref name="x"/> is a 4-D tensor laid out channels-last (and not also plainly contiguous).</summary>
    public static bool Is(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 4 || x.is_contiguous())
        {
            return false;
        }

        using var nhwc = x.permute(0, 2, 3, 1);
        return nhwc.is_contiguous();
    }

    /// <summary>The same values laid out channels-last (a new tensor; a copy unless already channels-last).</summary>
    /// <exception cref="ArgumentException">Not a 4-D tensor.</exception>
    public static Tensor To(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 4)
        {
            throw new ArgumentException($"Channels-last needs a 4-D tensor, got {x.dim()}-D.", nameof(x));
        }

        using var nhwc = x.permute(0, 2, 3, 1);
        using var dense = nhwc.contiguous();
        return dense.permute(0, 3, 1, 2);
    }
}
