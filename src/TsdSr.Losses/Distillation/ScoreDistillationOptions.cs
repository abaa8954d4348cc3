namespace TsdSr.Losses.Distillation;

/// <summary>
/// Target score distillation settings. Reference (<c>train/train.py</c>): grad = 0.7·g_vsd + 0.3·g_tsm, each score
/// difference weighted by σ², <c>nan_to_num</c> after every accumulation.
/// </summary>
public sealed record ScoreDistillationOptions
{
    /// <summary>The reference defaults.</summary>
    public static ScoreDistillationOptions Reference { get; } = new();

    /// <summary>Pure VSD (Eq. 3): λ = 1, σ² weighting; the HR branch is not needed.</summary>
    public static ScoreDistillationOptions VsdOnly { get; } = new() { VsdWeight = 1.0 };

    /// <summary>Pure TSM (Eq. 4): λ = 0, σ² weighting.</summary>
    public static ScoreDistillationOptions TsmOnly { get; } = new() { VsdWeight = 0.0 };

    /// <summary>λ_TSD: grad = λ·g_vsd + (1 − λ)·g_tsm. 0.7 (hard-coded) in the reference; 1 = pure VSD, 0 = pure TSM.</summary>
    public double VsdWeight { get; init; } = 0.7;

    /// <summary>w(t) on the score differences (reference: σ²).</summary>
    public ScoreWeighting Weighting { get; init; } = ScoreWeighting.SigmaSquared;

    /// <summary>Replace NaN / ±inf in the accumulated differences as <c>torch.nan_to_num</c> does (reference quirk 28).</summary>
    public bool NanToNum { get; init; } = true;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">λ outside [0, 1] or an unknown weighting.</exception>
    public void Validate()
    {
        if (!(VsdWeight >= 0 && VsdWeight <= 1))
        {
            throw new ArgumentException($"VsdWeight (λ_TSD) must lie in [0, 1], got {VsdWeight}.", nameof(VsdWeight));
        }

        if (!Enum.IsDefined(Weighting))
        {
            throw new ArgumentException($"Unknown score weighting {Weighting}.", nameof(Weighting));
        }
    }
}
