using System.Diagnostics;
using TsdSr.Core.Embeddings;
using TsdSr.Models.Autoencoders;
using TsdSr.Models.Transformers;
using TsdSr.Schedulers;
using TsdSr.Training.Data;
using TsdSr.Training.Optimization;
using TsdSr.Training.Randomness;
using static TorchSharp.torch;

namespace TsdSr.Training.Pretraining;

/// <summary>
/// One teacher step, SD3's rectified-flow objective on the latents of a frozen VAE:
/// <code>
/// z₀ = s·sample(E(x))               (x: the HR crop, or with probability q its degraded bicubic-upsampled LR)
/// u ~ N(m, s²), i = ⌊1000·sigmoid(u)⌋, σ = σ_train[i] (the shifted schedule), t = 1000·σ
/// x_t = σ·ε + (1 − σ)·z₀ ;  L = MSE(v_θ(x_t, t, c), ε − z₀)
/// </code>
/// The latent convention is TSD-SR's (×scaling_factor, no shift), so the teacher scores the latents the student
/// produces. c is the default prompt for HR samples, replaced by the null prompt with probability
/// <see cref="TeacherStepOptions.PromptDropout"/>; degraded samples always get the null prompt. The default prompt thus
/// means "a clean HR photo" and classifier-free guidance pushes away from degraded images.
/// </summary>
public sealed class TeacherTrainingStep : PretrainingStep
{
    private readonly AutoencoderKL vae;
    private readonly FlowMatchEulerDiscreteScheduler scheduler;
    private readonly PromptEmbeddings defaultPrompt;
    private readonly PromptEmbeddings nullPrompt;
    private readonly TeacherStepOptions options;
    private readonly Device device;

    /// <summary>Creates the step; it owns the optimiser, the generator and device copies of the prompts, not the models.</summary>
    public TeacherTrainingStep(SD3Transformer2DModel transformer, AutoencoderKL vae, FlowMatchEulerDiscreteScheduler scheduler,
        PromptEmbeddings defaultPrompt, PromptEmbeddings nullPrompt, TeacherStepOptions options, TrainingOptimizer optimizer, SeededGenerator generator)
        : base("transformer", transformer ?? throw new ArgumentNullException(nameof(transformer)), optimizer, generator)
    {
        Transformer = transformer;
        this.vae = vae ?? throw new ArgumentNullException(nameof(vae));
        this.scheduler = scheduler ?? throw new ArgumentNullException(nameof(scheduler));
        ArgumentNullException.ThrowIfNull(defaultPrompt);
        ArgumentNullException.ThrowIfNull(nullPrompt);
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        options.Validate();
        device = transformer.parameters().First().device;
        CheckPrompt(defaultPrompt, "default");
        CheckPrompt(nullPrompt, "null");
        this.defaultPrompt = OnDevice(defaultPrompt);
        this.nullPrompt = OnDevice(nullPrompt);
        vae.eval();
        foreach (var p in vae.parameters())
        {
            p.requires_grad = false;
        }
    }

    /// <summary>The transformer being trained.</summary>
    public SD3Transformer2DModel Transformer { get; }

    /// <inheritdoc />
    public override IReadOnlyList<string> Columns { get; } =
        [PretrainingColumns.LossFlow, PretrainingColumns.MeanSigma, PretrainingColumns.GradNorm, PretrainingColumns.LearningRate, PretrainingColumns.StepSeconds];

    /// <inheritdoc />
    public override IReadOnlyList<string> LossColumns { get; } = [PretrainingColumns.LossFlow];

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> Run(TrainingBatch batch, long step)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var clock = Stopwatch.StartNew();
        Transformer.train();
        double lr = Optimizer.CurrentLearningRate;
        using var scope = NewDisposeScope();
        long b = batch.Count;
        var rng = Generator.Generator;

        // Per-sample draws, in a fixed order so that resumed runs repeat them.
        var useDegraded = rand([b], generator: rng).lt(options.DegradedFraction);
        var dropped = rand([b], generator: rng).lt(options.PromptDropout);
        var u = randn([b], generator: rng).mul(options.LogitStd).add(options.LogitMean).sigmoid();
        var indices = u.mul(scheduler.Config.NumTrainTimesteps).floor().clamp(0, scheduler.Config.NumTrainTimesteps - 1).to(ScalarType.Int64);
        var sigma = scheduler.TrainSigmasAt(indices).to(ScalarType.Float32);

        Tensor z0;
        using (no_grad())
        {
            z0 = Encode(batch.Gt);
            var degraded = useDegraded.nonzero().flatten();
            if (degraded.numel() > 0)
            {
                // Only the samples drawn as degraded are encoded from the LR crop (a quarter of the encoder work by default).
                var picked = degraded.to(device);
                z0 = z0.index_copy(0, picked, Encode(batch.LrBicubic.index_select(0, degraded)));
            }
        }

        var eps = randn(z0.shape, generator: rng).to(device);
        var s = sigma.to(device).view(b, 1, 1, 1);
        var xt = s.mul(eps).add(s.neg().add(1).mul(z0));
        var target = eps.sub(z0);
        var conditional = useDegraded.logical_or(dropped).logical_not().to(device);
        var prompt = where(conditional.view(b, 1, 1), defaultPrompt.PromptEmbeds.expand(b, -1, -1), nullPrompt.PromptEmbeds.expand(b, -1, -1));
        var pooled = where(conditional.view(b, 1), defaultPrompt.PooledPromptEmbeds.expand(b, -1), nullPrompt.PooledPromptEmbeds.expand(b, -1));
        var timestep = sigma.mul(scheduler.Config.NumTrainTimesteps).to(device);
        var v = Transformer.forward(xt, prompt, pooled, timestep);
        var loss = nn.functional.mse_loss(v, target, nn.Reduction.Mean);
        loss.backward();
        double norm = Optimizer.Step();
        return new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [PretrainingColumns.LossFlow] = loss.item<float>(),
            [PretrainingColumns.MeanSigma] = sigma.mean().item<float>(),
            [PretrainingColumns.GradNorm] = norm,
            [PretrainingColumns.LearningRate] = lr,
            [PretrainingColumns.StepSeconds] = clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>Disposes the optimiser, the generator and the prompt copies (the models belong to the caller).</summary>
    /// <param name="disposing">True from <see cref="PretrainingStep.Dispose()"/>.</param>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            defaultPrompt.Dispose();
            nullPrompt.Dispose();
        }

        base.Dispose(disposing);
    }

    private Tensor Encode(Tensor images01)
    {
        using var posterior = vae.Encode(images01.to(ScalarType.Float32, device).mul(2).sub(1));
        return posterior.Sample(Generator.Generator).to(ScalarType.Float32).mul(vae.ScalingFactor);
    }

    private void CheckPrompt(PromptEmbeddings prompt, string name)
    {
        var c = Transformer.Config;
        if (prompt.PromptEmbeds.dim() != 3 || prompt.PromptEmbeds.shape[0] != 1 || prompt.PromptEmbeds.shape[2] != c.JointAttentionDim
            || prompt.PooledPromptEmbeds.dim() != 2 || prompt.PooledPromptEmbeds.shape[0] != 1 || prompt.PooledPromptEmbeds.shape[1] != c.PooledProjectionDim)
        {
            throw new ArgumentException(
                $"The {name} prompt embeddings ({prompt.Source}) are [{string.Join(", ", prompt.PromptEmbeds.shape)}] and [{string.Join(", ", prompt.PooledPromptEmbeds.shape)}]; " +
                $"this transformer needs [1, L, {c.JointAttentionDim}] and [1, {c.PooledProjectionDim}].");
        }
    }

    private PromptEmbeddings OnDevice(PromptEmbeddings prompt) =>
        new(prompt.PromptEmbeds.detach().to(ScalarType.Float32, device).clone(), prompt.PooledPromptEmbeds.detach().to(ScalarType.Float32, device).clone(), prompt.Source);
}
