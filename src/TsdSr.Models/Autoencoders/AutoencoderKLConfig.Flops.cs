namespace TsdSr.Models.Autoencoders;

/// <summary>Analytic compute of the VAE, for efficiency figures (achieved FLOP/s against a measured GEMM rate).</summary>
public sealed partial record AutoencoderKLConfig
{
    /// <summary>
    /// Floating-point operations (a multiply-add counts 2) of the encoder on a <paramref name="height"/> ×
    /// <paramref name="width"/> image: every convolution and the mid-block attention's matrix products. Normalisation,
    /// activations and additions are memory-bound and not counted.
    /// </summary>
    public double EncodeFlops(long height, long width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        var c = BlockOutChannels;
        double px = (double)height * width;
        double flops = Conv(3, InChannels, c[0], px);
        long input = c[0];
        for (int i = 0; i < c.Count; i++)
        {
            for (int j = 0; j < LayersPerBlock; j++)
            {
                flops += Resnet(j == 0 ? input : c[i], c[i], px);
            }

            input = c[i];
            if (i < c.Count - 1)
            {
                px /= 4;
                flops += Conv(3, c[i], c[i], px);
            }
        }

        return flops + MidBlock(c[^1], px) + Conv(3, c[^1], 2L * LatentChannels, px) + (UseQuantConv ? Conv(1, 2L * LatentChannels, 2L * LatentChannels, px) : 0);
    }

    /// <summary>Floating-point operations of the decoder on a latent of <paramref name="latentHeight"/> × <paramref name="latentWidth"/> (as <see cref="EncodeFlops"/> counts them).</summary>
    public double DecodeFlops(long latentHeight, long latentWidth)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(latentHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(latentWidth);
        var reversed = BlockOutChannels.Reverse().ToArray();
        double px = (double)latentHeight * latentWidth;
        double flops = (UsePostQuantConv ? Conv(1, LatentChannels, LatentChannels, px) : 0) + Conv(3, LatentChannels, reversed[0], px) + MidBlock(reversed[0], px);
        long input = reversed[0];
        for (int i = 0; i < reversed.Length; i++)
        {
            for (int j = 0; j <= LayersPerBlock; j++)
            {
                flops += Resnet(j == 0 ? input : reversed[i], reversed[i], px);
            }

            input = reversed[i];
            if (i < reversed.Length - 1)
            {
                px *= 4;
                flops += Conv(3, reversed[i], reversed[i], px);
            }
        }

        return flops + Conv(3, reversed[^1], OutChannels, px);
    }

    private double MidBlock(long channels, double px)
    {
        double flops = 2 * Resnet(channels, channels, px);
        if (MidBlockAddAttention)
        {
            // q, k, v and out projections, then Q·Kᵀ and A·V over every position pair (one head of width C).
            flops += (4 * 2.0 * channels * channels * px) + (2 * 2.0 * px * px * channels);
        }

        return flops;
    }

    private static double Resnet(long input, long output, double px) =>
        Conv(3, input, output, px) + Conv(3, output, output, px) + (input != output ? Conv(1, input, output, px) : 0);

    private static double Conv(int kernel, long input, long output, double outputPixels) => 2.0 * kernel * kernel * input * output * outputPixels;
}
