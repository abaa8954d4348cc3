using TsdSr.Core.Embeddings;
using TsdSr.Losses.Scores;

namespace TsdSr.Losses.Distillation;

/// <summary>
/// The score-difference gradients of VSD, TSM and TSD (Eqs. 3–5), accumulated over one or more sub-steps exactly in
/// the reference's order (<c>train/train.py</c>, the official TSD-SR training script):
/// <code>
/// v_tea   = teacher(x̂_k, t_k)      v_tea_H = teacher(x^H_k, t_k)      v_fake = fake(x̂_k, t_k)
/// g_vsd  += (v_tea − v_fake)  · w(σ_k) · w_k ;  g_vsd = nan_to_num(g_vsd)
/// g_tsm  += (v_tea − v_tea_H) · w(σ_k) · w_k ;  g_tsm = nan_to_num(g_tsm)
/// if k is not last:  x̂_k+1 = x̂_k − (σ_k − σ_k+1)·v_fake ;  x^H_k+1 = x^H_k − (σ_k − σ_k+1)·v_tea_H
/// grad = λ·g_vsd + (1 − λ)·g_tsm
/// </code>
/// The teacher and fake-score models passed in are the guided ones (<see cref="GuidedScoreModel"/>: the reference
/// applies CFG 7.5 to both). Everything runs under no_grad on detached inputs.
/// </summary>
public static class ScoreDistillation
{
    /// <summary>Computes g_vsd, g_tsm and the combined gradient.</summary>
    /// <param name="teacher">The (guided) teacher.</param>
    /// <param name="fakeScore">The (guided) fake-score model.</param>
    /// <param name="noisyStudent">x̂ = σ·ε + (1 − σ)·ẑ [B, C, H, W] (detached here).</param>
    /// <param name="noisyHr">x^H = σ·ε + (1 − σ)·z_H with the same ε, or null for pure VSD (λ = 1).</param>
    /// <param name="subSteps">At least one sub-step; all but the last need <see cref="DistillationSubStep.NextSigma"/>.</param>
    /// <param name="prompt">Conditional prompt embeddings (per image, batch B or 1).</param>
    /// <param name="options">λ, weighting, nan_to_num; null = the reference.</param>
    /// <returns>Detached gradients the caller owns.</returns>
    /// <exception cref="ArgumentException">Shapes, sub-steps or options are invalid.</exception>
    public static ScoreDistillationGradients ComputeGradients(IScoreModel teacher, IScoreModel fakeScore, Tensor noisyStudent,
        Tensor? noisyHr, IReadOnlyList<DistillationSubStep> subSteps, PromptEmbeddings prompt, ScoreDistillationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentNullException.ThrowIfNull(fakeScore);
        ArgumentNullException.ThrowIfNull(noisyStudent);
        ArgumentNullException.ThrowIfNull(subSteps);
        ArgumentNullException.ThrowIfNull(prompt);
        options ??= ScoreDistillationOptions.Reference;
        options.Validate();
        CheckInputs(noisyStudent, noisyHr, subSteps, options);

        long batch = noisyStudent.shape[0];
        bool withTsm = noisyHr is not null;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (promptEmbeds, pooledEmbeds) = prompt.ForBatch(batch);
        var xHat = noisyStudent.detach();
        var xHr = noisyHr?.detach();
        Tensor gVsd = zeros_like(xHat);
        Tensor gTsm = withTsm ? zeros_like(xHat) : zeros(0, device: xHat.device);
        long nonFinite = 0;

        for (int k = 0; k < subSteps.Count; k++)
        {
            var step = subSteps[k];
            var sigma = Broadcast(step.Sigma, xHat);
            var weight = ScoreWeightingFunction.Evaluate(options.Weighting, sigma).mul(step.Weight);
            var timestep = step.Timestep.to(xHat.device);

            var vTea = teacher.PredictVelocity(xHat, timestep, promptEmbeds, pooledEmbeds);
            var vTeaHr = withTsm ? teacher.PredictVelocity(xHr!, timestep, promptEmbeds, pooledEmbeds) : null;
            var vFake = fakeScore.PredictVelocity(xHat, timestep, promptEmbeds, pooledEmbeds);

            gVsd = Accumulate(gVsd, vTea.sub(vFake).mul(weight), options.NanToNum, ref nonFinite);
            if (withTsm)
            {
                gTsm = Accumulate(gTsm, vTea.sub(vTeaHr!).mul(weight), options.NanToNum, ref nonFinite);
            }

            if (k == subSteps.Count - 1)
            {
                break;
            }

            // Euler step along both flow-matching trajectories (Algorithm 1): fake path on x̂, teacher path on x^H.
            var delta = sigma.sub(Broadcast(step.NextSigma!, xHat));
            xHat = xHat.sub(delta.mul(vFake));
            if (withTsm)
            {
                xHr = xHr!.sub(delta.mul(vTeaHr!));
            }
        }

        double lambda = options.VsdWeight;
        var combined = withTsm ? gVsd.mul(lambda).add(gTsm.mul(1.0 - lambda)) : gVsd.mul(lambda);
        return new ScoreDistillationGradients(
            gVsd.MoveToOuterDisposeScope(),
            withTsm ? gTsm.MoveToOuterDisposeScope() : null,
            combined.MoveToOuterDisposeScope(),
            nonFinite);
    }

    /// <summary>σ [B] (or [1]) → [B, 1, 1, 1] in the latent's dtype and device.</summary>
    internal static Tensor Broadcast(Tensor sigma, Tensor like)
    {
        var shape = new long[like.dim()];
        Array.Fill(shape, 1L);
        shape[0] = sigma.numel();
        return sigma.to(like.dtype, like.device).reshape(shape);
    }

    private static Tensor Accumulate(Tensor total, Tensor term, bool nanToNum, ref long nonFinite)
    {
        var sum = total.add(term);
        if (!nanToNum)
        {
            return sum;
        }

        long bad = sum.isfinite().logical_not().sum().item<long>();
        nonFinite += bad;
        return bad == 0 ? sum : sum.nan_to_num();
    }

    private static void CheckInputs(Tensor noisyStudent, Tensor? noisyHr, IReadOnlyList<DistillationSubStep> subSteps, ScoreDistillationOptions options)
    {
        if (noisyStudent.dim() != 4)
        {
            throw new ArgumentException($"Latents must be [B, C, H, W], got [{string.Join(", ", noisyStudent.shape)}].", nameof(noisyStudent));
        }

        if (noisyHr is not null && !noisyHr.shape.SequenceEqual(noisyStudent.shape))
        {
            throw new ArgumentException(
                $"HR latent [{string.Join(", ", noisyHr.shape)}] must match the student latent [{string.Join(", ", noisyStudent.shape)}].", nameof(noisyHr));
        }

        if (noisyHr is null && options.VsdWeight != 1.0)
        {
            throw new ArgumentException($"TSM needs the noisy HR latent (λ_TSD = {options.VsdWeight} < 1).", nameof(noisyHr));
        }

        if (subSteps.Count == 0)
        {
            throw new ArgumentException("At least one distillation sub-step is required.", nameof(subSteps));
        }

        long batch = noisyStudent.shape[0];
        for (int k = 0; k < subSteps.Count; k++)
        {
            var s = subSteps[k] ?? throw new ArgumentException($"Sub-step {k} is null.", nameof(subSteps));
            foreach (var (name, t) in new[] { ("Timestep", s.Timestep), ("Sigma", s.Sigma), ("NextSigma", s.NextSigma) })
            {
                if (t is not null && (t.dim() != 1 || t.shape[0] != batch && t.shape[0] != 1))
                {
                    throw new ArgumentException($"Sub-step {k}: {name} must be [B] or [1] (B = {batch}), got [{string.Join(", ", t.shape)}].", nameof(subSteps));
                }
            }

            if (s.Timestep.shape[0] != batch)
            {
                throw new ArgumentException($"Sub-step {k}: Timestep must have one entry per sample ({batch}), got {s.Timestep.shape[0]}.", nameof(subSteps));
            }

            if (k < subSteps.Count - 1 && s.NextSigma is null)
            {
                throw new ArgumentException($"Sub-step {k} is not the last one and needs NextSigma for the Euler step.", nameof(subSteps));
            }

            if (!double.IsFinite(s.Weight))
            {
                throw new ArgumentException($"Sub-step {k}: weight must be finite, got {s.Weight}.", nameof(subSteps));
            }
        }
    }
}
