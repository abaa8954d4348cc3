using TorchSharp;
using TsdSr.Data.Random;

namespace TsdSr.Data.Datasets;

/// <summary>Random square crops with optional horizontal flip, rejecting flat crops.</summary>
public static class RandomCrop
{
    /// <summary>
    /// A crop [1, 3, S, S] of <paramref name="image"/> [1, 3, H, W], or null when the image is smaller than S or every
    /// attempt was flat. Positions and the flip come from <paramref name="rng"/>.
    /// </summary>
    public static torch.Tensor? Sample(torch.Tensor image, CropOptions options, CounterRng rng)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        long h = image.shape[2], w = image.shape[3];
        int s = options.Size;
        if (h < s || w < s)
        {
            return null;
        }

        using var scope = torch.NewDisposeScope();
        for (int attempt = 0; attempt < options.MaxAttempts; attempt++)
        {
            long top = rng.NextInt((int)(h - s + 1));
            long left = rng.NextInt((int)(w - s + 1));
            bool flip = options.HorizontalFlip && rng.Bernoulli(0.5);
            var crop = image.narrow(2, top, s).narrow(3, left, s);
            if (crop.std().item<float>() < options.MinStdDev)
            {
                continue;
            }

            var result = flip ? crop.flip(3) : crop.contiguous();
            return result.MoveToOuterDisposeScope();
        }

        return null;
    }
}
