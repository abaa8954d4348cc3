namespace TsdSr.Data.Degradation;

/// <summary>
/// The Real-ESRGAN second-order degradation: two <see cref="DegradationStageConfig"/> stages, the final resize to
/// 1/<see cref="Scale"/> combined with an optional sinc filter in random order with the last JPEG, then 8-bit
/// rounding. The defaults are the OSEDiff/SeeSR (Real-ESRGAN x4plus) numbers; see the named presets.
/// </summary>
public sealed record DegradationConfig
{
    /// <summary>A short name for logs and file metadata.</summary>
    public string Name { get; init; } = "osediff";

    /// <summary>First stage (blur always applied).</summary>
    public DegradationStageConfig First { get; init; } = new();

    /// <summary>Second stage: σ [0.2, 1.5], blur p 0.8, resize [0.3, 0.4, 0.3] over [0.3, 1.2], noise [1, 25] / Poisson [0.05, 2.5].</summary>
    public DegradationStageConfig Second { get; init; } = new()
    {
        Blur = new BlurConfig { Sigma = new(0.2, 1.5) },
        BlurProbability = 0.8,
        Resize = new ResizeConfig { UpProbability = 0.3, DownProbability = 0.4, KeepProbability = 0.3, Scale = new(0.3, 1.2) },
        Noise = new NoiseConfig { Sigma = new(1, 25), PoissonScale = new(0.05, 2.5) },
    };

    /// <summary>Probability of the final sinc filter (else a delta), default 0.8.</summary>
    public double FinalSincProbability { get; init; } = 0.8;

    /// <summary>Cut-off range ωc of the final sinc filter in radians/pixel, default [π/3, π].</summary>
    public ValueRange FinalSincCutoff { get; init; } = new(Math.PI / 3, Math.PI);

    /// <summary>Probability that the final step is [resize + sinc] → JPEG rather than JPEG → [resize + sinc] (default 0.5).</summary>
    public double ResizeBeforeJpegProbability { get; init; } = 0.5;

    /// <summary>Down-scaling factor of the whole pipeline: 4 (default) or 2.</summary>
    public int Scale { get; init; } = 4;

    /// <summary>Apply USM sharpening to the ground truth, degrade from the sharpened image and return it as HR (Real-ESRGAN, SeeSR/TSD-SR).</summary>
    public bool SharpenGroundTruth { get; init; }

    /// <summary>Which random choices a batch shares.</summary>
    public RandomnessGranularity Granularity { get; init; } = RandomnessGranularity.PerSample;

    /// <summary>Probability of skipping every degradation: LR is then only the bicubic down-scale of HR (StableSR 0.01).</summary>
    public double NoDegradationProbability { get; init; }

    /// <summary>OSEDiff (default): Real-ESRGAN x4plus numbers, random choices per sample, no USM.</summary>
    public static DegradationConfig OSEDiff { get; } = new();

    /// <summary>SeeSR <c>make_paired_data</c> as used for TSD-SR's training pairs: x4plus numbers, USM'd GT saved, choices per batch.</summary>
    public static DegradationConfig SeeSR { get; } = new() { Name = "seesr", SharpenGroundTruth = true, Granularity = RandomnessGranularity.PerBatch };

    /// <summary>Original Real-ESRGAN x4plus training: per-batch choices, degradation from the USM-sharpened GT.</summary>
    public static DegradationConfig RealEsrgan { get; } = new() { Name = "realesrgan", SharpenGroundTruth = true, Granularity = RandomnessGranularity.PerBatch };

    /// <summary>StableSR's milder parameters (also its DIV2K-Val test set); unlisted values keep the Real-ESRGAN defaults.</summary>
    public static DegradationConfig StableSR { get; } = new()
    {
        Name = "stablesr",
        Granularity = RandomnessGranularity.PerBatch,
        NoDegradationProbability = 0.01,
        First = new DegradationStageConfig
        {
            Blur = new BlurConfig { Sigma = new(0.2, 1.5), BetaGaussian = new(0.5, 2), BetaPlateau = new(1, 1.5) },
            Resize = new ResizeConfig { Scale = new(0.3, 1.5) },
            Noise = new NoiseConfig { Sigma = new(1, 15), PoissonScale = new(0.05, 2.0) },
            JpegQuality = new(60, 95),
        },
        Second = new DegradationStageConfig
        {
            Blur = new BlurConfig { Sigma = new(0.2, 1.0), BetaGaussian = new(0.5, 2), BetaPlateau = new(1, 1.5) },
            BlurProbability = 0.5,
            Resize = new ResizeConfig { UpProbability = 0.3, DownProbability = 0.4, KeepProbability = 0.3, Scale = new(0.6, 1.2) },
            Noise = new NoiseConfig { Sigma = new(1, 12), PoissonScale = new(0.05, 1.0) },
            JpegQuality = new(60, 100),
        },
    };

    /// <summary>The preset names accepted by <see cref="FromName"/>.</summary>
    public static IReadOnlyList<string> PresetNames { get; } = ["osediff", "seesr", "realesrgan", "stablesr"];

    /// <summary>A preset by name (case-insensitive): osediff, seesr, realesrgan, stablesr.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static DegradationConfig FromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            "osediff" => OSEDiff,
            "seesr" or "tsdsr" => SeeSR,
            "realesrgan" or "real-esrgan" => RealEsrgan,
            "stablesr" => StableSR,
            _ => throw new ArgumentException($"Unknown degradation preset '{name}'; expected one of {string.Join(", ", PresetNames)}.", nameof(name)),
        };
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public DegradationConfig Validate()
    {
        ArgumentNullException.ThrowIfNull(First, nameof(First));
        ArgumentNullException.ThrowIfNull(Second, nameof(Second));
        First.Validate(nameof(First));
        Second.Validate(nameof(Second));
        Probability.Validate(FinalSincProbability, nameof(FinalSincProbability));
        Probability.Validate(ResizeBeforeJpegProbability, nameof(ResizeBeforeJpegProbability));
        Probability.Validate(NoDegradationProbability, nameof(NoDegradationProbability));
        FinalSincCutoff.Validate(nameof(FinalSincCutoff), 1e-3, Math.PI);
        if (Scale is not (2 or 4))
        {
            throw new ArgumentException($"{nameof(Scale)} = {Scale}: only x2 and x4 are supported.", nameof(Scale));
        }

        if (!Enum.IsDefined(Granularity))
        {
            throw new ArgumentException($"{nameof(Granularity)} = {Granularity} is not defined.", nameof(Granularity));
        }

        return this;
    }
}
