using TsdSr.Core.Embeddings;
using TsdSr.Losses.Scores;
using TsdSr.Schedulers;

namespace TsdSr.Losses.Distillation;

/// <summary>
/// Target score distillation for one batch (the official TSD-SR training script): noise ẑ and z_H with the same ε at
/// σ_idx, take the guided teacher / fake-score differences, and return the surrogate loss
/// <c>0.5·MSE_mean(ẑ, sg(ẑ − grad))</c>. With <see cref="ScoreDistillationOptions.VsdOnly"/> it is VSD (Eq. 3), with
/// <see cref="ScoreDistillationOptions.TsmOnly"/> TSM (Eq. 4), by default TSD = 0.7·VSD + 0.3·TSM (Eq. 5 as coded).
/// </summary>
public sealed class TargetScoreDistillation
{
    /// <summary>Creates the loss; it owns none of its arguments.</summary>
    /// <param name="teacher">The guided teacher (CFG on both branches in the reference).</param>
    /// <param name="fakeScore">The guided fake-score model (CFG during distillation in the reference, quirk 24).</param>
    /// <param name="scheduler">The flow-matching schedule whose training indices map to σ and timesteps.</param>
    /// <param name="options">λ, weighting, nan_to_num; null = the reference.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public TargetScoreDistillation(IScoreModel teacher, IScoreModel fakeScore, FlowMatchEulerDiscreteScheduler scheduler,
        ScoreDistillationOptions? options = null)
    {
        Teacher = teacher ?? throw new ArgumentNullException(nameof(teacher));
        FakeScore = fakeScore ?? throw new ArgumentNullException(nameof(fakeScore));
        Scheduler = scheduler ?? throw new ArgumentNullException(nameof(scheduler));
        Options = options ?? ScoreDistillationOptions.Reference;
        Options.Validate();
    }

    /// <summary>The guided teacher.</summary>
    public IScoreModel Teacher { get; }

    /// <summary>The guided fake-score model.</summary>
    public IScoreModel FakeScore { get; }

    /// <summary>The schedule.</summary>
    public FlowMatchEulerDiscreteScheduler Scheduler { get; }

    /// <summary>λ, weighting and nan handling.</summary>
    public ScoreDistillationOptions Options { get; }

    /// <summary>
    /// Single-step TSD at per-sample schedule indices (the reference draws idx ~ randint(50, 950)): x̂ = σ·ε + (1 − σ)·ẑ,
    /// x^H = σ·ε + (1 − σ)·z_H, one sub-step of weight 1 at t_idx.
    /// </summary>
    /// <param name="studentLatent">ẑ with its graph (the loss's gradient flows into it).</param>
    /// <param name="hrLatent">z_H, or null for pure VSD.</param>
    /// <param name="noise">ε, same shape as ẑ (passed in so tests and resumes are deterministic).</param>
    /// <param name="indices">Integer schedule indices [B].</param>
    /// <param name="prompt">Per-image conditional prompt embeddings.</param>
    /// <returns>The loss and its gradients; the caller owns them.</returns>
    public TsdLossResult Compute(Tensor studentLatent, Tensor? hrLatent, Tensor noise, Tensor indices, PromptEmbeddings prompt)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(studentLatent);
        using var sigmaAt = Scheduler.TrainSigmasAt(indices);
        using var timestepAt = Scheduler.TrainTimestepsAt(indices);
        using var sigma = sigmaAt.to(studentLatent.device);
        using var timestep = timestepAt.to(studentLatent.device);
        return Compute(studentLatent, hrLatent, noise, sigma, [new DistillationSubStep(timestep, sigma, null, 1.0)], prompt);
    }

    /// <summary>
    /// TSD with explicit sub-steps (DASM builds several): noise at <paramref name="noiseSigma"/>, then accumulate over
    /// <paramref name="subSteps"/> as <see cref="ScoreDistillation.ComputeGradients"/> describes.
    /// </summary>
    /// <param name="studentLatent">ẑ with its graph.</param>
    /// <param name="hrLatent">z_H, or null for pure VSD.</param>
    /// <param name="noise">ε, same shape as ẑ.</param>
    /// <param name="noiseSigma">σ used for noising, per sample [B] (or [1]).</param>
    /// <param name="subSteps">The time points and weights.</param>
    /// <param name="prompt">Per-image conditional prompt embeddings.</param>
    /// <returns>The loss and its gradients; the caller owns them.</returns>
    /// <exception cref="ArgumentException">Shapes do not match.</exception>
    public TsdLossResult Compute(Tensor studentLatent, Tensor? hrLatent, Tensor noise, Tensor noiseSigma,
        IReadOnlyList<DistillationSubStep> subSteps, PromptEmbeddings prompt)
    {
        ArgumentNullException.ThrowIfNull(studentLatent);
        ArgumentNullException.ThrowIfNull(noise);
        ArgumentNullException.ThrowIfNull(noiseSigma);
        CheckShape(noise, studentLatent, nameof(noise));
        if (hrLatent is not null)
        {
            CheckShape(hrLatent, studentLatent, nameof(hrLatent));
        }

        ScoreDistillationGradients gradients;
        using (no_grad())
        {
            // Detached: the reference computes the noisy inputs from ẑ but uses them only under no_grad.
            using var zHat = studentLatent.detach();
            using var noisyStudent = FlowMatchEulerDiscreteScheduler.ScaleNoise(zHat, noiseSigma, noise);
            using var hr = hrLatent?.detach();
            using var noisyHr = hr is null ? null : FlowMatchEulerDiscreteScheduler.ScaleNoise(hr, noiseSigma, noise);
            gradients = ScoreDistillation.ComputeGradients(Teacher, FakeScore, noisyStudent, noisyHr, subSteps, prompt, Options);
        }

        try
        {
            return new TsdLossResult(ScoreDistillationLoss.Surrogate(studentLatent, gradients.Combined), gradients);
        }
        catch
        {
            gradients.Dispose();
            throw;
        }
    }

    private static void CheckShape(Tensor t, Tensor studentLatent, string name)
    {
        if (!t.shape.SequenceEqual(studentLatent.shape))
        {
            throw new ArgumentException(
                $"{name} [{string.Join(", ", t.shape)}] must match the student latent [{string.Join(", ", studentLatent.shape)}].", name);
        }
    }
}
