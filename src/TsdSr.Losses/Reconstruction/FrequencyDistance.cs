namespace TsdSr.Losses.Reconstruction;

/// <summary>
/// An L1 distance between the orthonormal 2-D Fourier transforms of two images: the mean modulus of the complex
/// difference over every channel and frequency. Plain pixel losses let a reconstruction trade fine detail for a lower
/// average error (the blur of regression); weighting every frequency equally, as this term does, penalises the missing
/// high-frequency energy directly. Orthonormal scaling makes the value independent of the image size.
/// </summary>
public static class FrequencyDistance
{
    /// <summary>The distance per sample.</summary>
    /// <param name="x">Images [B, C, H, W] (attached to the graph or not).</param>
    /// <param name="y">Reference images of the same shape.</param>
    /// <returns>[B]; the caller owns it.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Tensor Compute(Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.dim() != 4 || !x.shape.SequenceEqual(y.shape))
        {
            throw new ArgumentException($"The frequency distance needs two [B, C, H, W] images of one shape, got [{string.Join(", ", x.shape)}] and [{string.Join(", ", y.shape)}].");
        }

        using var scope = NewDisposeScope();
        var fx = fft.rfft2(x.to(ScalarType.Float32), norm: FFTNormType.Ortho);
        var fy = fft.rfft2(y.to(ScalarType.Float32), norm: FFTNormType.Ortho);
        return fx.sub(fy).abs().mean([1, 2, 3]).MoveToOuterDisposeScope();
    }
}
