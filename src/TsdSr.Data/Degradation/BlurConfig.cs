namespace TsdSr.Data.Degradation;

/// <summary>How one blur kernel is drawn (Real-ESRGAN <c>random_mixed_kernels</c> plus the sinc branch).</summary>
public sealed record BlurConfig
{
    /// <summary>Smallest odd kernel size (default 7).</summary>
    public int MinKernelSize { get; init; } = 7;

    /// <summary>Largest odd kernel size (default 21); kernels are zero-padded to this size.</summary>
    public int MaxKernelSize { get; init; } = 21;

    /// <summary>Probability of a 2-D sinc kernel instead of a mixed kernel (default 0.1).</summary>
    public double SincProbability { get; init; } = 0.1;

    /// <summary>Probabilities of the mixed kernel families.</summary>
    public KernelTypeProbabilities Types { get; init; } = KernelTypeProbabilities.RealEsrgan;

    /// <summary>Range of σx, σy in pixels (default [0.2, 3]).</summary>
    public ValueRange Sigma { get; init; } = new(0.2, 3);

    /// <summary>Range of the rotation θ in radians for anisotropic kernels (default [−π, π]).</summary>
    public ValueRange Rotation { get; init; } = new(-Math.PI, Math.PI);

    /// <summary>β range of the generalised Gaussian (default [0.5, 4]; β is drawn below or above 1 with p = ½ each).</summary>
    public ValueRange BetaGaussian { get; init; } = new(0.5, 4);

    /// <summary>β range of the plateau kernel (default [1, 2]).</summary>
    public ValueRange BetaPlateau { get; init; } = new(1, 2);

    internal void Validate(string name)
    {
        if (MinKernelSize < 1 || MinKernelSize % 2 == 0 || MaxKernelSize % 2 == 0 || MaxKernelSize < MinKernelSize || MaxKernelSize > 63)
        {
            throw new ArgumentException($"{name}: kernel sizes must be odd with 1 <= min <= max <= 63, got {MinKernelSize}..{MaxKernelSize}.", name);
        }

        Probability.Validate(SincProbability, $"{name}.{nameof(SincProbability)}");
        Types.Validate($"{name}.{nameof(Types)}");
        Sigma.Validate($"{name}.{nameof(Sigma)}", 1e-3, 100);
        Rotation.Validate($"{name}.{nameof(Rotation)}", -2 * Math.PI, 2 * Math.PI);
        BetaGaussian.Validate($"{name}.{nameof(BetaGaussian)}", 1e-3, 100);
        BetaPlateau.Validate($"{name}.{nameof(BetaPlateau)}", 1e-3, 100);
        if (BetaGaussian.Min > 1 || BetaGaussian.Max < 1 || BetaPlateau.Min > 1 || BetaPlateau.Max < 1)
        {
            throw new ArgumentException($"{name}: β ranges must contain 1 (β is drawn from [min, 1] or [1, max]).", name);
        }
    }
}
