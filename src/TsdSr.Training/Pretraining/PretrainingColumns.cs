namespace TsdSr.Training.Pretraining;

/// <summary>Metric column names of the VAE and teacher stages (metrics CSV and loss plot).</summary>
public static class PretrainingColumns
{
    /// <summary>The optimised loss.</summary>
    public const string LossTotal = "loss_total";

    /// <summary>VAE: mean absolute error of the reconstruction in [0, 1].</summary>
    public const string LossL1 = "loss_l1";

    /// <summary>VAE: 1 − SSIM of the reconstruction.</summary>
    public const string LossSsim = "loss_ssim";

    /// <summary>VAE: Fourier-domain L1 of the reconstruction.</summary>
    public const string LossFft = "loss_fft";

    /// <summary>VAE: mean KL(q(z|x) ‖ N(0, I)) per latent element.</summary>
    public const string LossKl = "loss_kl";

    /// <summary>VAE: PSNR (dB) of the clamped reconstruction of the batch, RGB.</summary>
    public const string PsnrRgb = "psnr_rgb";

    /// <summary>Teacher: the flow-matching MSE between predicted and true velocity.</summary>
    public const string LossFlow = "loss_flow";

    /// <summary>Teacher: the mean σ of the batch.</summary>
    public const string MeanSigma = "mean_sigma";

    /// <summary>Global gradient norm before clipping.</summary>
    public const string GradNorm = "grad_norm";

    /// <summary>The learning rate of the step.</summary>
    public const string LearningRate = "lr";

    /// <summary>Wall time of the step in seconds.</summary>
    public const string StepSeconds = "step_seconds";
}
