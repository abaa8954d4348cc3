using TsdSr.Data.Degradation.Kernels;

namespace TsdSr.Data.Degradation;

/// <summary>The drawn parameters of one stage for a batch (lists have one entry per sample).</summary>
/// <param name="Blur">Whether the stage blurs.</param>
/// <param name="Kernels">Blur kernel per sample.</param>
/// <param name="ResizeDirection">Resize direction (shared by the batch).</param>
/// <param name="ResizeScale">Resize factor (shared).</param>
/// <param name="ResizeMode">Interpolation (shared).</param>
/// <param name="Noise">Noise type (shared).</param>
/// <param name="NoiseStrengths">Gaussian σ in [0, 1] units, or the Poisson scale, per sample.</param>
/// <param name="GrayNoise">Grey-noise flag per sample.</param>
/// <param name="NoiseKeys">Random key of each sample's noise field.</param>
/// <param name="JpegQualities">Integer JPEG quality per sample (for the second stage: the final JPEG).</param>
public sealed record StagePlan(
    bool Blur,
    IReadOnlyList<KernelParameters> Kernels,
    ResizeDirection ResizeDirection,
    double ResizeScale,
    ResizeMode ResizeMode,
    NoiseKind Noise,
    IReadOnlyList<double> NoiseStrengths,
    IReadOnlyList<bool> GrayNoise,
    IReadOnlyList<ulong> NoiseKeys,
    IReadOnlyList<int> JpegQualities);
