using System.Text.Json.Serialization;
using TsdSr.Losses;
using TsdSr.Losses.Distillation;
using TsdSr.Losses.FakeScore;
using TsdSr.Losses.Scores;

namespace TsdSr.Training.Loop;

/// <summary>
/// Fixed settings of <see cref="TrainingStep"/>; the defaults are the reference's (the official TSD-SR training script).
/// This record is also the <c>loss</c> section of a training config file, key for key (snake_case), except
/// <see cref="PerceptualWeight"/>, which a run derives from its <c>reconstruction</c> section.
/// </summary>
public sealed record TrainingStepOptions
{
    /// <summary>The reference settings.</summary>
    public static TrainingStepOptions Reference { get; } = new();

    /// <summary>Classifier-free guidance of the teacher (both branches) and of the fake score during distillation.</summary>
    public GuidanceOptions Guidance { get; init; } = GuidanceOptions.Reference;

    /// <summary>λ_TSD, σ² weighting, nan_to_num.</summary>
    public ScoreDistillationOptions Distillation { get; init; } = ScoreDistillationOptions.Reference;

    /// <summary>The fake-score diffusion loss (weighting, index sampling, reduction).</summary>
    public FakeScoreLossOptions FakeScore { get; init; } = FakeScoreLossOptions.Reference;

    /// <summary>γ of L = L_rec + γ·L_tsd per global step (reference: 1).</summary>
    public GammaSchedule Gamma { get; init; } = GammaSchedule.Reference;

    /// <summary>Weight of the perceptual (LPIPS) term in the data loss (reference: 1; 0 skips decoding).</summary>
    [JsonIgnore]
    public double PerceptualWeight { get; init; } = 1.0;

    /// <summary>Smallest teacher index (inclusive; reference <c>randint(50, 950)</c>).</summary>
    public int TeacherIndexMin { get; init; } = 50;

    /// <summary>Teacher index upper bound (exclusive).</summary>
    public int TeacherIndexMax { get; init; } = 950;

    /// <summary>The student's timestep (reference: 1000 in training and inference, so ẑ = z_L − v).</summary>
    public float StudentTimestep { get; init; } = 1000f;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Guidance);
        ArgumentNullException.ThrowIfNull(Distillation);
        ArgumentNullException.ThrowIfNull(FakeScore);
        ArgumentNullException.ThrowIfNull(Gamma);
        Guidance.Validate();
        Distillation.Validate();
        FakeScore.Validate();
        Gamma.Validate();
        if (!double.IsFinite(PerceptualWeight) || PerceptualWeight < 0)
        {
            throw new ArgumentException($"PerceptualWeight must be finite and ≥ 0, got {PerceptualWeight}.", nameof(PerceptualWeight));
        }

        if (TeacherIndexMin < 0 || TeacherIndexMax <= TeacherIndexMin || TeacherIndexMax > 1000)
        {
            throw new ArgumentException($"Teacher index range [{TeacherIndexMin}, {TeacherIndexMax}) must be non-empty and inside [0, 1000).", nameof(TeacherIndexMin));
        }

        if (!float.IsFinite(StudentTimestep) || StudentTimestep <= 0)
        {
            throw new ArgumentException($"StudentTimestep must be positive, got {StudentTimestep}.", nameof(StudentTimestep));
        }
    }
}
