using TsdSr.Losses.Reconstruction;

namespace TsdSr.Training.Config;

/// <summary>
/// <c>pixel_loss</c>: the weights of the backbone-free reconstruction distance (L1, 1 − SSIM, Fourier L1) used by the VAE
/// stage and, with <c>loss.pixel_weight</c> &gt; 0, as the student's pixel-space term.
/// </summary>
public sealed record PixelLossSection
{
    // The defaults are the loss's own: stated once, in PixelLossOptions.
    private static readonly PixelLossOptions Defaults = new();

    /// <summary>Weight of the mean absolute error.</summary>
    public double L1 { get; init; } = Defaults.L1Weight;

    /// <summary>Weight of 1 − SSIM.</summary>
    public double Ssim { get; init; } = Defaults.SsimWeight;

    /// <summary>Weight of the Fourier-domain L1.</summary>
    public double Fft { get; init; } = Defaults.FrequencyWeight;

    /// <summary>The loss options this section describes.</summary>
    public PixelLossOptions ToOptions() => new() { L1Weight = L1, SsimWeight = Ssim, FrequencyWeight = Fft };
}
