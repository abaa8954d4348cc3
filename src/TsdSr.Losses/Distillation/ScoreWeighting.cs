namespace TsdSr.Losses.Distillation;

/// <summary>The weighting w(t) applied to the score differences of VSD / TSM (Eqs. 3–5).</summary>
public enum ScoreWeighting
{
    /// <summary>w = σ_t² (the reference: <c>(v_tea − v_fake)·sigmas_current**2</c>).</summary>
    SigmaSquared,

    /// <summary>w = 1 (plain velocity differences).</summary>
    None,
}
