namespace TsdSr.Data.Degradation;

/// <summary>A random resize: up, down or keep, with a scale range and a random interpolation mode.</summary>
public sealed record ResizeConfig
{
    /// <summary>Probability of up-scaling (default 0.2).</summary>
    public double UpProbability { get; init; } = 0.2;

    /// <summary>Probability of down-scaling (default 0.7).</summary>
    public double DownProbability { get; init; } = 0.7;

    /// <summary>Probability of keeping the scale (default 0.1).</summary>
    public double KeepProbability { get; init; } = 0.1;

    /// <summary>Scale range: up draws from [1, Max], down from [Min, 1] (default [0.15, 1.5]).</summary>
    public ValueRange Scale { get; init; } = new(0.15, 1.5);

    /// <summary>Modes drawn uniformly (default area, bilinear, bicubic).</summary>
    public IReadOnlyList<ResizeMode> Modes { get; init; } = [ResizeMode.Area, ResizeMode.Bilinear, ResizeMode.Bicubic];

    internal void Validate(string name)
    {
        Probability.Validate(UpProbability, $"{name}.{nameof(UpProbability)}");
        Probability.Validate(DownProbability, $"{name}.{nameof(DownProbability)}");
        Probability.Validate(KeepProbability, $"{name}.{nameof(KeepProbability)}");
        if (Math.Abs(UpProbability + DownProbability + KeepProbability - 1) > 1e-9)
        {
            throw new ArgumentException($"{name}: up/down/keep probabilities must sum to 1, got {UpProbability}/{DownProbability}/{KeepProbability}.", name);
        }

        Scale.Validate($"{name}.{nameof(Scale)}", 0.01, 16);
        if (Scale.Min > 1 || Scale.Max < 1)
        {
            throw new ArgumentException($"{name}.{nameof(Scale)} = {Scale} must contain 1 (down draws [min, 1], up draws [1, max]).", name);
        }

        if (Modes is null || Modes.Count == 0 || Modes.Any(m => !Enum.IsDefined(m)))
        {
            throw new ArgumentException($"{name}.{nameof(Modes)} must list at least one resize mode.", name);
        }
    }
}
