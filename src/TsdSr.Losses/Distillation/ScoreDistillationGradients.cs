namespace TsdSr.Losses.Distillation;

/// <summary>
/// The accumulated, detached score-difference gradients of one distillation step. Owns its tensors.
/// </summary>
public sealed class ScoreDistillationGradients : IDisposable
{
    internal ScoreDistillationGradients(Tensor vsd, Tensor? tsm, Tensor combined, long nonFiniteCount)
    {
        Vsd = vsd;
        Tsm = tsm;
        Combined = combined;
        NonFiniteCount = nonFiniteCount;
    }

    /// <summary>g_vsd = Σ_k (v_tea(x̂_k) − v_fake(x̂_k))·w(σ_k)·w_k.</summary>
    public Tensor Vsd { get; }

    /// <summary>g_tsm = Σ_k (v_tea(x̂_k) − v_tea(x^H_k))·w(σ_k)·w_k, or null when the HR branch was not run (λ = 1).</summary>
    public Tensor? Tsm { get; }

    /// <summary>grad = λ·g_vsd + (1 − λ)·g_tsm: the gradient the TSD surrogate loss hands to ẑ (times 1/numel).</summary>
    public Tensor Combined { get; }

    /// <summary>Non-finite elements replaced by <c>nan_to_num</c> (0 when none; logged, reference quirk 28).</summary>
    public long NonFiniteCount { get; }

    /// <summary>Disposes the tensors.</summary>
    public void Dispose()
    {
        Vsd.Dispose();
        Tsm?.Dispose();
        Combined.Dispose();
    }
}
