namespace TsdSr.Training.Config;

/// <summary>What a training run trains (<c>stage</c> in the config). The three make a model family end to end.</summary>
public enum TrainingStageKind
{
    /// <summary>The TSD-SR student: LoRA on the transformer and VAE encoder, distilled from a teacher (the default).</summary>
    Student,

    /// <summary>A VAE from scratch (or from <c>vae.init</c>): reconstruction plus a small KL term.</summary>
    Vae,

    /// <summary>The teacher: full-parameter rectified-flow training of a transformer on the latents of a trained VAE.</summary>
    Teacher,
}
