namespace TsdSr.Losses.Reconstruction;

/// <summary>
/// SSIM as a training signal: per-channel structural similarity with the usual 11×11 Gaussian window (σ = 1.5),
/// constants C1 = (0.01·R)², C2 = (0.03·R)² for images in [0, R], 'valid' filtering, averaged over channels and
/// positions. Unlike the evaluation metric (pyiqa's, on the rounded Y channel) it works on the colour channels as given
/// and keeps the autograd graph, so <c>1 − SSIM</c> can be minimised.
/// </summary>
public static class DifferentiableSsim
{
    /// <summary>The window side.</summary>
    public const int WindowSize = 11;

    /// <summary>The window's Gaussian σ.</summary>
    public const double WindowSigma = 1.5;

    /// <summary>Mean SSIM per sample.</summary>
    /// <param name="x">Images [B, C, H, W] in [0, <paramref name="range"/>], H and W at least 11.</param>
    /// <param name="y">Reference images of the same shape.</param>
    /// <param name="range">The dynamic range R (1 for images in [0, 1]).</param>
    /// <returns>[B]; the caller owns it.</returns>
    /// <exception cref="ArgumentException">Shapes differ, or an image is smaller than the window.</exception>
    public static Tensor Compute(Tensor x, Tensor y, double range = 1.0)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.dim() != 4 || !x.shape.SequenceEqual(y.shape))
        {
            throw new ArgumentException($"SSIM needs two [B, C, H, W] images of one shape, got [{string.Join(", ", x.shape)}] and [{string.Join(", ", y.shape)}].");
        }

        if (x.shape[2] < WindowSize || x.shape[3] < WindowSize)
        {
            throw new ArgumentException($"SSIM needs images of at least {WindowSize}×{WindowSize} pixels, got {x.shape[2]}×{x.shape[3]}.");
        }

        using var scope = NewDisposeScope();
        long channels = x.shape[1];
        var window = Window(x.dtype, x.device).expand(channels, 1, WindowSize, WindowSize);
        Tensor Blur(Tensor t) => nn.functional.conv2d(t, window, groups: channels);
        double c1 = Math.Pow(0.01 * range, 2), c2 = Math.Pow(0.03 * range, 2);
        var muX = Blur(x);
        var muY = Blur(y);
        var muXX = muX.square();
        var muYY = muY.square();
        var muXY = muX.mul(muY);
        var varX = Blur(x.square()).sub(muXX);
        var varY = Blur(y.square()).sub(muYY);
        var cov = Blur(x.mul(y)).sub(muXY);
        var map = muXY.mul(2).add(c1).mul(cov.mul(2).add(c2))
            .div(muXX.add(muYY).add(c1).mul(varX.add(varY).add(c2)));
        return map.mean([1, 2, 3]).MoveToOuterDisposeScope();
    }

    private static Tensor Window(ScalarType dtype, Device device)
    {
        var g = Enumerable.Range(0, WindowSize)
            .Select(i => Math.Exp(-Math.Pow(i - (WindowSize / 2), 2) / (2 * WindowSigma * WindowSigma)))
            .ToArray();
        double sum = g.Sum();
        // Built in float64 so that a float64 caller gets a window that sums to 1 to double precision.
        var g1 = tensor(g.Select(v => v / sum).ToArray(), ScalarType.Float64, device);
        return g1.outer(g1).reshape(1, 1, WindowSize, WindowSize).to(dtype);
    }
}
