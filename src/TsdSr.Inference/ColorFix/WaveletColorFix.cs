using TorchSharp;

namespace TsdSr.Inference.ColorFix;

/// <summary>
/// The reference's wavelet colour fix: a five-level "à trous" decomposition (3×3 binomial kernel, dilation 1…16,
/// replicate padding); the result is the target's high frequencies plus the source's low frequencies, clamped to [0,1].
/// </summary>
public static class WaveletColorFix
{
    /// <summary>Decomposition levels.</summary>
    public const int Levels = 5;

    /// <summary>Applies the fix to float images [1,3,H,W] in [0,1] of equal size. The caller owns the result.</summary>
    public static torch.Tensor Apply(torch.Tensor target, torch.Tensor source)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(source);
        if (!target.shape.SequenceEqual(source.shape))
        {
            throw new ArgumentException($"Target [{string.Join(", ", target.shape)}] and source [{string.Join(", ", source.shape)}] must have the same shape.", nameof(source));
        }

        using var scope = torch.NewDisposeScope();
        var (high, _) = Decompose(target);
        var (_, low) = Decompose(source);
        return high.add(low).clamp_(0, 1).MoveToOuterDisposeScope();
    }

    /// <summary>Returns (high, low): the accumulated detail and the final blur.</summary>
    internal static (torch.Tensor High, torch.Tensor Low) Decompose(torch.Tensor image)
    {
        var kernel = torch.tensor(new float[] { 0.0625f, 0.125f, 0.0625f, 0.125f, 0.25f, 0.125f, 0.0625f, 0.125f, 0.0625f }, image.dtype, image.device)
            .reshape(1, 1, 3, 3).repeat(image.shape[1], 1, 1, 1);
        var high = torch.zeros_like(image);
        var current = image;
        for (int i = 0; i < Levels; i++)
        {
            long radius = 1L << i;
            torch.Tensor low;
            // Each level's temporaries (and the previous blur) are freed at once: full-size images dominate memory at 4K.
            using (var level = torch.NewDisposeScope())
            {
                var padded = torch.nn.functional.pad(current, new[] { radius, radius, radius, radius }, PaddingModes.Replicate);
                low = torch.nn.functional.conv2d(padded, kernel, dilation: new[] { radius, radius }, groups: image.shape[1]);
                high.add_(current.sub(low));
                low.MoveToOuterDisposeScope();
            }

            if (!ReferenceEquals(current, image))
            {
                current.Dispose();
            }

            current = low;
        }

        return (high, current);
    }
}
