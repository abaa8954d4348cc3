namespace TsdSr.Training.Loop;

/// <summary>Wall-clock time of each phase of one training step.</summary>
/// <param name="Encode">VAE encoding of LR (student LoRA) and, without a precomputed latent, of HR (plain VAE).</param>
/// <param name="Student">Student transformer forward at t = 1000.</param>
/// <param name="Distillation">Teacher and fake-score passes (TSD gradient); zero when the term is off.</param>
/// <param name="Reconstruction">Decode of ẑ and the data loss.</param>
/// <param name="StudentUpdate">Student backward, clipping and optimiser step.</param>
/// <param name="FakeScore">Fake-score forward, backward, clipping and optimiser step.</param>
/// <param name="Total">The whole step.</param>
public sealed record TrainingStepTimings(
    TimeSpan Encode,
    TimeSpan Student,
    TimeSpan Distillation,
    TimeSpan Reconstruction,
    TimeSpan StudentUpdate,
    TimeSpan FakeScore,
    TimeSpan Total);
