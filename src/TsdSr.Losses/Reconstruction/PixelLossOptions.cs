namespace TsdSr.Losses.Reconstruction;

/// <summary>Weights of <see cref="PixelReconstructionLoss"/>'s terms.</summary>
public sealed record PixelLossOptions
{
    /// <summary>Weight of the mean absolute error.</summary>
    public double L1Weight { get; init; } = 1.0;

    /// <summary>Weight of 1 − SSIM (<see cref="DifferentiableSsim"/>).</summary>
    public double SsimWeight { get; init; } = 0.2;

    /// <summary>Weight of the Fourier-domain L1 (<see cref="FrequencyDistance"/>).</summary>
    public double FrequencyWeight { get; init; } = 0.1;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid weight.</summary>
    public void Validate()
    {
        foreach (var (name, value) in new[] { ("l1_weight", L1Weight), ("ssim_weight", SsimWeight), ("frequency_weight", FrequencyWeight) })
        {
            if (!double.IsFinite(value) || value < 0)
            {
                throw new ArgumentException($"The pixel loss weight {name} must be a finite number >= 0, got {value}.");
            }
        }

        if (L1Weight + SsimWeight + FrequencyWeight == 0)
        {
            throw new ArgumentException("At least one pixel loss weight (l1, ssim, fft) must be positive.");
        }
    }
}
