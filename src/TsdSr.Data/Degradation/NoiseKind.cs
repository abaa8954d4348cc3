namespace TsdSr.Data.Degradation;

/// <summary>Type of additive noise.</summary>
public enum NoiseKind
{
    /// <summary>Gaussian, σ per sample.</summary>
    Gaussian,

    /// <summary>Poisson (shot) noise on 8-bit levels, scaled per sample.</summary>
    Poisson,
}
