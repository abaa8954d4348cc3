namespace TsdSr.Losses.FakeScore;

/// <summary>Settings of the fake-score ("LoRA model") diffusion loss, Eq. 9; defaults are the reference's.</summary>
public sealed record FakeScoreLossOptions
{
    /// <summary>The reference defaults.</summary>
    public static FakeScoreLossOptions Reference { get; } = new();

    /// <summary>Weighting scheme (reference default logit_normal).</summary>
    public LossWeightingScheme Weighting { get; init; } = LossWeightingScheme.LogitNormal;

    /// <summary>How indices are drawn (reference: uniform over [<see cref="MinIndex"/>, <see cref="MaxIndex"/>)).</summary>
    public TimestepSampling Sampling { get; init; } = TimestepSampling.UniformIndexRange;

    /// <summary>Inclusive lower index for <see cref="TimestepSampling.UniformIndexRange"/> (reference 50).</summary>
    public int MinIndex { get; init; } = 50;

    /// <summary>Exclusive upper index for <see cref="TimestepSampling.UniformIndexRange"/> (reference 950).</summary>
    public int MaxIndex { get; init; } = 950;

    /// <summary>Mean of the logit-normal u (reference <c>--logit_mean</c> 0).</summary>
    public double LogitMean { get; init; }

    /// <summary>Std of the logit-normal u (reference <c>--logit_std</c> 1).</summary>
    public double LogitStd { get; init; } = 1.0;

    /// <summary>Mode scale s (reference <c>--mode_scale</c> 1.29).</summary>
    public double ModeScale { get; init; } = 1.29;

    /// <summary>Reduction (reference: batch mean).</summary>
    public FakeScoreLossReduction Reduction { get; init; } = FakeScoreLossReduction.BatchMean;

    /// <summary>Replace NaN / ±inf in the loss as the reference's <c>nan_to_num</c> does.</summary>
    public bool NanToNum { get; init; } = true;

    /// <summary>Checks the values against a schedule of <paramref name="numTrainTimesteps"/> indices.</summary>
    /// <exception cref="ArgumentException">An enum is unknown, the range is empty or out of the schedule, or a parameter is not finite / positive.</exception>
    public void Validate(int numTrainTimesteps = 1000)
    {
        if (!Enum.IsDefined(Weighting))
        {
            throw new ArgumentException($"Unknown weighting scheme {Weighting}.", nameof(Weighting));
        }

        if (!Enum.IsDefined(Sampling))
        {
            throw new ArgumentException($"Unknown timestep sampling {Sampling}.", nameof(Sampling));
        }

        if (!Enum.IsDefined(Reduction))
        {
            throw new ArgumentException($"Unknown reduction {Reduction}.", nameof(Reduction));
        }

        if (MinIndex < 0 || MaxIndex > numTrainTimesteps || MinIndex >= MaxIndex)
        {
            throw new ArgumentException(
                $"Index range [{MinIndex}, {MaxIndex}) must be non-empty and inside [0, {numTrainTimesteps}).", nameof(MinIndex));
        }

        if (!double.IsFinite(LogitMean) || !double.IsFinite(LogitStd) || LogitStd <= 0)
        {
            throw new ArgumentException($"Logit-normal needs a finite mean and a positive std, got ({LogitMean}, {LogitStd}).", nameof(LogitStd));
        }

        if (!double.IsFinite(ModeScale))
        {
            throw new ArgumentException($"Mode scale must be finite, got {ModeScale}.", nameof(ModeScale));
        }
    }
}
