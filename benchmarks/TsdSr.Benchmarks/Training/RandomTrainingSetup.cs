using TorchSharp;
using TsdSr.Core.Embeddings;
using TsdSr.Evaluation.Lpips;
using TsdSr.Losses.Scores;
using TsdSr.Models.Autoencoders;
using TsdSr.Models.Transformers;
using TsdSr.Schedulers;
using TsdSr.Training.Adapters;
using TsdSr.Training.Config;
using TsdSr.Training.Dasm;
using TsdSr.Training.Data;
using TsdSr.Training.Loop;
using TsdSr.Training.Optimization;
using TsdSr.Training.Perceptual;
using TsdSr.Training.Randomness;
using static TorchSharp.torch;

namespace TsdSr.Benchmarks.Training;

/// <summary>
/// One training iteration's objects with random weights: the SD3-medium transformer and SD3 VAE (or the tiny test
/// configs), the shared base with student (transformer + VAE-encoder LoRA), fake-score and no teacher LoRA (the plain
/// base teaches), LPIPS-Alex with random backbone weights, the reference losses and optimisers, and one batch of
/// random HR / LR-bicubic images with a precomputed HR latent (the reference's offline <c>latent_hr</c>).
/// </summary>
public sealed class RandomTrainingSetup : IDisposable
{
    private readonly PromptEmbeddings prompt;
    private readonly PromptEmbeddings nullPrompt;
    private readonly LpipsPerceptualLoss lpips;

    /// <summary>Builds everything; <paramref name="tiny"/> uses the tiny test configs with 64² crops, batch 2, rank 4.</summary>
    public RandomTrainingSetup(bool tiny, ScalarType dtype, bool dasm)
    {
        manual_seed(0);
        Tiny = tiny;
        var transformerConfig = tiny ? SD3TransformerConfig.Tiny with { SampleSize = 32, PosEmbedMaxSize = 48 } : SD3TransformerConfig.Sd3Medium;
        var vaeConfig = tiny ? AutoencoderKLConfig.Tiny : AutoencoderKLConfig.Sd3;
        // Reference ranks (the official TSD-SR training script): 64 for the student transformer, the VAE encoder and the fake score.
        var ranks = tiny ? new AdapterRanks(4, 4, 4) : new AdapterRanks(64, 64, 64);
        Models = SharedBaseAdapters.Attach(new SD3Transformer2DModel(transformerConfig), new AutoencoderKL(vaeConfig), ranks, dtype);
        prompt = new PromptEmbeddings(randn(1, tiny ? 7 : 333, transformerConfig.JointAttentionDim), randn(1, transformerConfig.PooledProjectionDim));
        nullPrompt = new PromptEmbeddings(zeros_like(prompt.PromptEmbeds), zeros_like(prompt.PooledPromptEmbeds));
        lpips = new LpipsPerceptualLoss(new LpipsNetwork(LpipsBackbone.Alex));
        Generator = new SeededGenerator(43);
        StudentOptimizer = new TrainingOptimizer("student", Models.StudentParameters(), AdamWSettings.Student);
        FakeOptimizer = new TrainingOptimizer("fake_score", Models.FakeScoreParameters(), AdamWSettings.FakeScore);
        var scheduler = new FlowMatchEulerDiscreteScheduler(new FlowMatchEulerDiscreteSchedulerConfig { Shift = 3.0 });
        Step = new TrainingStep(Models, scheduler, prompt, nullPrompt, lpips, Generator, TrainingStepOptions.Reference, StudentOptimizer, FakeOptimizer);
        var dasmOptions = dasm ? new DasmOptions() : DasmOptions.Off;
        Recipe = StepRecipe.FromStage(new TrainingStage(1, dasmOptions, 1.0), Generator);

        // 512² HR crops and their bicubic ×4 LR (128², upsampled back to 512² as lr_bicubic), batch 1; tiny: 64², batch 2.
        int size = tiny ? 64 : 512;
        int batch = tiny ? 2 : 1;
        using var scope = NewDisposeScope();
        var hr = rand(batch, 3, size, size);
        var small = nn.functional.interpolate(hr, [size / 4, size / 4], mode: InterpolationMode.Bicubic, align_corners: false);
        var lr = nn.functional.interpolate(small, [size, size], mode: InterpolationMode.Bicubic, align_corners: false).clamp(0, 1);
        long latentSize = size / vaeConfig.DownsampleFactor;
        var latent = randn(batch, 16, latentSize, latentSize);
        Batch = new TrainingBatch(hr.MoveToOuterDisposeScope(), lr.MoveToOuterDisposeScope(), latent.MoveToOuterDisposeScope(), null, null,
            Enumerable.Range(0, batch).Select(i => $"random#{i}").ToList());
    }

    /// <summary>Whether the tiny configs are used.</summary>
    public bool Tiny { get; }

    /// <summary>The shared base with the adapters.</summary>
    public SharedBaseAdapters Models { get; }

    /// <summary>The step generator.</summary>
    public SeededGenerator Generator { get; }

    /// <summary>The student optimiser.</summary>
    public TrainingOptimizer StudentOptimizer { get; }

    /// <summary>The fake-score optimiser.</summary>
    public TrainingOptimizer FakeOptimizer { get; }

    /// <summary>The step.</summary>
    public TrainingStep Step { get; }

    /// <summary>TSD with one sub-step, or the DASM planner (4 sub-steps of 50, random bias).</summary>
    public StepRecipe Recipe { get; }

    /// <summary>The random batch.</summary>
    public TrainingBatch Batch { get; }

    /// <summary>One iteration: student step (encode, student, TSD, decode + LPIPS + latent MSE, update) and fake-score step.</summary>
    public TrainingStepResult Iterate(long step) => Step.Run(Batch, step, Recipe);

    /// <inheritdoc />
    public void Dispose()
    {
        Batch.Dispose();
        Step.Dispose();
        StudentOptimizer.Dispose();
        FakeOptimizer.Dispose();
        Generator.Dispose();
        lpips.Dispose();
        prompt.Dispose();
        nullPrompt.Dispose();
        Models.Transformer.Dispose();
        Models.Vae.Dispose();
    }
}
