using TsdSr.Core.Embeddings;
using TsdSr.Losses.Distillation;
using TsdSr.Losses.Scores;
using TsdSr.Schedulers;

namespace TsdSr.Losses.FakeScore;

/// <summary>
/// The fake-score model's flow-matching diffusion loss (Eq. 9) on the detached student latent, as the reference
/// computes it (the official TSD-SR training script):
/// <code>
/// x_t = σ'·ε' + (1 − σ')·sg(ẑ) ;  v = fake(x_t, t', prompt) (no CFG) ;  x̂0 = x_t − σ'·v
/// L   = mean_b( nan_to_num( 0.5·w_b·MSE_mean(x̂0, sg(ẑ)) ) )           (BatchMean, reference)
/// L   = mean_b( nan_to_num( 0.5·w_b·MSE_b(x̂0_b, sg(ẑ_b)) ) )          (PerSample)
/// </code>
/// The x̂0-space MSE equals σ'²·MSE(v, ε' − ẑ), i.e. the usual velocity loss times σ'².
/// </summary>
public sealed class FakeScoreDiffusionLoss
{
    /// <summary>Creates the loss; it owns none of its arguments.</summary>
    /// <param name="fakeScore">The unguided fake-score model (base + fake-score LoRA).</param>
    /// <param name="scheduler">Schedule mapping indices to σ and timesteps.</param>
    /// <param name="options">Weighting, sampling and reduction; null = the reference.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public FakeScoreDiffusionLoss(IScoreModel fakeScore, FlowMatchEulerDiscreteScheduler scheduler, FakeScoreLossOptions? options = null)
    {
        FakeScore = fakeScore ?? throw new ArgumentNullException(nameof(fakeScore));
        Scheduler = scheduler ?? throw new ArgumentNullException(nameof(scheduler));
        Options = options ?? FakeScoreLossOptions.Reference;
        Options.Validate(scheduler.Config.NumTrainTimesteps);
    }

    /// <summary>The fake-score model being trained.</summary>
    public IScoreModel FakeScore { get; }

    /// <summary>The schedule.</summary>
    public FlowMatchEulerDiscreteScheduler Scheduler { get; }

    /// <summary>Weighting, sampling and reduction.</summary>
    public FakeScoreLossOptions Options { get; }

    /// <summary>Draws per-sample indices and their weights with the configured sampling and weighting.</summary>
    /// <returns>New tensors the caller owns: int64 indices [B] and fp32 weights [B] (CPU).</returns>
    public (Tensor Indices, Tensor Weights) Sample(long batch, Generator? generator = null)
    {
        var indices = TimestepSampler.Sample(Options.Sampling, batch, Scheduler.Config.NumTrainTimesteps, Options, generator);
        using var sigma = Scheduler.TrainSigmasAt(indices);
        return (indices, LossWeighting.Compute(Options.Weighting, sigma, Options, generator));
    }

    /// <summary>Computes the loss; gradients flow only into the fake-score model's parameters.</summary>
    /// <param name="studentLatent">ẑ (detached here).</param>
    /// <param name="noise">ε', same shape as ẑ.</param>
    /// <param name="indices">Integer schedule indices [B].</param>
    /// <param name="weights">Per-sample weights [B] (from <see cref="Sample"/> or <see cref="LossWeighting"/>).</param>
    /// <param name="prompt">Per-image conditional prompt embeddings (no CFG here, quirk 24).</param>
    /// <returns>A scalar fp32 loss the caller owns.</returns>
    /// <exception cref="ArgumentException">Shapes do not match.</exception>
    public Tensor Compute(Tensor studentLatent, Tensor noise, Tensor indices, Tensor weights, PromptEmbeddings prompt)
    {
        ArgumentNullException.ThrowIfNull(studentLatent);
        ArgumentNullException.ThrowIfNull(noise);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(prompt);
        long batch = studentLatent.dim() == 4 ? studentLatent.shape[0] : throw new ArgumentException(
            $"Latents must be [B, C, H, W], got [{string.Join(", ", studentLatent.shape)}].", nameof(studentLatent));
        if (indices.numel() != batch || weights.numel() != batch)
        {
            throw new ArgumentException($"Need one index and one weight per sample ({batch}), got {indices.numel()} and {weights.numel()}.", nameof(indices));
        }

        using var scope = NewDisposeScope();
        var z = studentLatent.detach();
        var sigmaFlat = Scheduler.TrainSigmasAt(indices.flatten()).to(z.device);
        var timestep = Scheduler.TrainTimestepsAt(indices.flatten()).to(z.device);
        var sigma = ScoreDistillation.Broadcast(sigmaFlat, z);
        Tensor noisy;
        using (no_grad())
        {
            noisy = FlowMatchEulerDiscreteScheduler.ScaleNoise(z, sigmaFlat, noise);
        }

        var (p, q) = prompt.ForBatch(batch);
        var v = FakeScore.PredictVelocity(noisy, timestep, p, q);
        var x0 = noisy.sub(sigma.mul(v)).to(ScalarType.Float32);
        var target = z.to(ScalarType.Float32);
        var w = weights.to(ScalarType.Float32, z.device).reshape(batch, 1, 1, 1);
        var mse = Options.Reduction == FakeScoreLossReduction.BatchMean
            ? nn.functional.mse_loss(x0, target, nn.Reduction.Mean)
            : x0.sub(target).square().mean([1, 2, 3], keepdim: true);
        var perSample = w.mul(0.5).mul(mse);
        if (Options.NanToNum)
        {
            perSample = perSample.nan_to_num();
        }

        return perSample.mean().MoveToOuterDisposeScope();
    }
}
