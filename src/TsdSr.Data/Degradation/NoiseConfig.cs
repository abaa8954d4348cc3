namespace TsdSr.Data.Degradation;

/// <summary>Additive noise: Gaussian or Poisson, colour or grey.</summary>
public sealed record NoiseConfig
{
    /// <summary>Probability of Gaussian noise; otherwise Poisson (default 0.5).</summary>
    public double GaussianProbability { get; init; } = 0.5;

    /// <summary>Gaussian σ in 8-bit levels (divided by 255), default [1, 30].</summary>
    public ValueRange Sigma { get; init; } = new(1, 30);

    /// <summary>Poisson noise scale, default [0.05, 3].</summary>
    public ValueRange PoissonScale { get; init; } = new(0.05, 3);

    /// <summary>Probability that the noise is one grey field shared by the three channels (default 0.4).</summary>
    public double GrayProbability { get; init; } = 0.4;

    internal void Validate(string name)
    {
        Probability.Validate(GaussianProbability, $"{name}.{nameof(GaussianProbability)}");
        Probability.Validate(GrayProbability, $"{name}.{nameof(GrayProbability)}");
        Sigma.Validate($"{name}.{nameof(Sigma)}", 0, 255);
        PoissonScale.Validate($"{name}.{nameof(PoissonScale)}", 0, 100);
    }
}
