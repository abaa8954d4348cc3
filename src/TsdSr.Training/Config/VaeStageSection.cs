using TsdSr.Training.Optimization;

namespace TsdSr.Training.Config;

/// <summary><c>vae</c>: the VAE stage (<c>stage: "vae"</c>).</summary>
public sealed record VaeStageSection
{
    /// <summary>The architecture: a preset (<c>nano</c>, <c>tiny</c>, <c>sd3</c>) or the path of a diffusers <c>config.json</c>.</summary>
    public string Config { get; init; } = "nano";

    /// <summary>A diffusers VAE folder to continue from; null starts from a random initialisation.</summary>
    public string? Init { get; init; }

    /// <summary>AdamW settings of the VAE (learning rate 2e-4; the other values are AdamW's defaults here).</summary>
    public AdamWSettings Optimizer { get; init; } = AdamWSettings.Student with { LearningRate = 2e-4 };

    /// <summary>Weight of the KL term (mean over latent elements of KL(q(z|x) ‖ N(0, I))).</summary>
    public double KlWeight { get; init; } = 1e-5;

    /// <summary>Batches of training crops whose latents give the exported <c>scaling_factor</c> (1 / std) and <c>shift_factor</c> (mean).</summary>
    public int ScalingBatches { get; init; } = 32;
}
