using TsdSr.Training.Optimization;

namespace TsdSr.Training.Config;

/// <summary><c>teacher</c>: the teacher stage (<c>stage: "teacher"</c>).</summary>
public sealed record TeacherStageSection
{
    /// <summary>The transformer architecture: a preset (<c>nano</c>, <c>tiny</c>, <c>sd3-medium</c>) or the path of a diffusers <c>config.json</c>.</summary>
    public string Config { get; init; } = "nano";

    /// <summary>A diffusers transformer folder to continue from; null starts from a random initialisation.</summary>
    public string? Init { get; init; }

    /// <summary>AdamW settings of the transformer (learning rate 3e-4; the other values are AdamW's defaults here).</summary>
    public AdamWSettings Optimizer { get; init; } = AdamWSettings.Student with { LearningRate = 3e-4 };

    /// <summary>Probability that an HR sample is trained with the null prompt instead of the default prompt.</summary>
    public double PromptDropout { get; init; } = 0.1;

    /// <summary>
    /// Probability that a sample is the degraded, bicubic-upsampled LR crop instead of the HR crop; such samples always
    /// get the null prompt. The default prompt then means "a clean HR photo" and classifier-free guidance pushes away
    /// from degraded images.
    /// </summary>
    public double DegradedFraction { get; init; } = 0.25;

    /// <summary>Mean of the logit-normal timestep density (SD3's objective).</summary>
    public double LogitMean { get; init; }

    /// <summary>Standard deviation of the logit-normal timestep density.</summary>
    public double LogitStd { get; init; } = 1.0;

    /// <summary>Tokens of the generated prompt embeddings (when <c>models.default_prompt_embeds</c> is empty).</summary>
    public int PromptTokens { get; init; } = 8;

    /// <summary>Seed of the generated default and null prompt embeddings.</summary>
    public ulong PromptSeed { get; init; } = 2024;
}
