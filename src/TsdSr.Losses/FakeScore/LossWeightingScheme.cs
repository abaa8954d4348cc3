namespace TsdSr.Losses.FakeScore;

/// <summary>
/// Per-sample weighting of the fake-score diffusion loss (reference <c>--weighting_scheme</c>, default logit_normal).
/// </summary>
public enum LossWeightingScheme
{
    /// <summary>Reference default: w = sigmoid(u), u ~ N(logit_mean, logit_std) per sample, independent of σ (quirk 23).</summary>
    LogitNormal,

    /// <summary>Reference <c>mode</c>: u ~ U(0, 1), w = 1 − u − mode_scale·(cos²(πu/2) − 1 + u), independent of σ.</summary>
    Mode,

    /// <summary>Reference <c>sigma_sqrt</c>: w = σ⁻².</summary>
    SigmaSqrt,

    /// <summary>diffusers' <c>cosmap</c> (not in the TSD-SR code): w = 2 / (π·(1 − 2σ + 2σ²)).</summary>
    CosMap,

    /// <summary>w = 1 (diffusers' fallback).</summary>
    None,
}
