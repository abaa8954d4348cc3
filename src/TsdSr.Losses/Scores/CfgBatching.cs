namespace TsdSr.Losses.Scores;

/// <summary>How the unconditional and conditional passes of classifier-free guidance are run.</summary>
public enum CfgBatching
{
    /// <summary>
    /// Two forward passes of batch B (uncond, then cond). Same result up to float order and half the activation peak
    /// (a quirk of the official TSD-SR code, the author's suggestion).
    /// </summary>
    Separate,

    /// <summary>One pass over the concatenated batch [uncond; cond] of 2B, exactly as the reference and diffusers.</summary>
    Concatenated,
}
