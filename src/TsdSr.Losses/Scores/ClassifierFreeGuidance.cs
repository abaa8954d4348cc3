namespace TsdSr.Losses.Scores;

/// <summary>The classifier-free guidance combination used by the reference's <c>compute_with_cfg</c>.</summary>
public static class ClassifierFreeGuidance
{
    /// <summary><c>uncond + scale·(cond − uncond)</c>, in this operation order (as the reference).</summary>
    /// <returns>A new tensor the caller owns.</returns>
    public static Tensor Combine(Tensor uncond, Tensor cond, double scale)
    {
        ArgumentNullException.ThrowIfNull(uncond);
        ArgumentNullException.ThrowIfNull(cond);
        using var scope = NewDisposeScope();
        return uncond.add(cond.sub(uncond).mul(scale)).MoveToOuterDisposeScope();
    }
}
