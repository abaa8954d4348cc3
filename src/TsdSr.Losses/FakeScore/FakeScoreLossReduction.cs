namespace TsdSr.Losses.FakeScore;

/// <summary>How per-sample weights meet the MSE in the fake-score loss.</summary>
public enum FakeScoreLossReduction
{
    /// <summary>
    /// Reference: <c>mean(0.5·w.view(-1,1,1,1)·MSE_mean(x̂0, ẑ))</c> — the MSE is over the whole batch, so the loss is
    /// 0.5·mean_b(w_b)·MSE_batch.
    /// </summary>
    BatchMean,

    /// <summary>Each sample's MSE gets its own weight: 0.5·mean_b(w_b·MSE_b).</summary>
    PerSample,
}
