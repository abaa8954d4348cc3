namespace TsdSr.Training.Pretraining;

/// <summary>Settings of <see cref="TeacherTrainingStep"/> (the config's <c>teacher</c> section).</summary>
public sealed record TeacherStepOptions
{
    /// <summary>Probability that an HR sample gets the null prompt.</summary>
    public double PromptDropout { get; init; } = 0.1;

    /// <summary>Probability that a sample is the degraded LR crop (always with the null prompt).</summary>
    public double DegradedFraction { get; init; } = 0.25;

    /// <summary>Mean of the logit-normal timestep density.</summary>
    public double LogitMean { get; init; }

    /// <summary>Standard deviation of the logit-normal timestep density.</summary>
    public double LogitStd { get; init; } = 1.0;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (PromptDropout is < 0 or > 1 || double.IsNaN(PromptDropout))
        {
            throw new ArgumentException($"PromptDropout must lie in [0, 1], got {PromptDropout}.");
        }

        if (DegradedFraction is < 0 or >= 1 || double.IsNaN(DegradedFraction))
        {
            throw new ArgumentException($"DegradedFraction must lie in [0, 1), got {DegradedFraction}.");
        }

        if (!double.IsFinite(LogitMean) || !double.IsFinite(LogitStd) || LogitStd <= 0)
        {
            throw new ArgumentException($"The logit-normal density needs a finite mean and a positive std, got {LogitMean} / {LogitStd}.");
        }
    }
}
