namespace TsdSr.Training.Metrics;

/// <summary>The per-step metric names of a training run (CSV columns), so that logs of different runs line up.</summary>
public static class MetricColumns
{
    /// <summary>Student loss: data loss + weighted TSD.</summary>
    public const string LossTotal = "loss_total";

    /// <summary>LPIPS term of the data loss.</summary>
    public const string LossLpips = "loss_lpips";

    /// <summary>Latent MSE term of the data loss.</summary>
    public const string LossLatentMse = "loss_latent_mse";

    /// <summary>TSD regularisation loss (0.5·MSE against the stop-gradient target).</summary>
    public const string LossTsd = "loss_tsd";

    /// <summary>Fake-score diffusion loss.</summary>
    public const string LossFakeScore = "loss_fake_score";

    /// <summary>Student gradient norm before clipping.</summary>
    public const string GradNormStudent = "grad_norm_student";

    /// <summary>Fake-score gradient norm before clipping.</summary>
    public const string GradNormFakeScore = "grad_norm_fake_score";

    /// <summary>Student learning rate used by the step.</summary>
    public const string LrStudent = "lr_student";

    /// <summary>Fake-score learning rate used by the step.</summary>
    public const string LrFakeScore = "lr_fake_score";

    /// <summary>Number of non-finite score-difference elements replaced by <c>nan_to_num</c> (quirk 28: logged).</summary>
    public const string NonFiniteScores = "non_finite_scores";

    /// <summary>Recipe stage (1 or 2).</summary>
    public const string Stage = "stage";

    /// <summary>Wall-clock seconds of the student update.</summary>
    public const string StudentSeconds = "student_seconds";

    /// <summary>Wall-clock seconds of the fake-score update.</summary>
    public const string FakeScoreSeconds = "fake_score_seconds";

    /// <summary>Wall-clock seconds of the whole step (data included).</summary>
    public const string StepSeconds = "step_seconds";

    /// <summary>Every column, in CSV order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        LossTotal, LossLpips, LossLatentMse, LossTsd, LossFakeScore, GradNormStudent, GradNormFakeScore, LrStudent, LrFakeScore,
        NonFiniteScores, Stage, StudentSeconds, FakeScoreSeconds, StepSeconds,
    ];

    /// <summary>The columns worth plotting (losses).</summary>
    public static IReadOnlyList<string> Losses { get; } = [LossTotal, LossLpips, LossLatentMse, LossTsd, LossFakeScore];
}
