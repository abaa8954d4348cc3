using static TorchSharp.torch;

namespace TsdSr.Training.Dasm;

/// <summary>
/// The Euler sub-step DASM takes along the flow-matching trajectory between sub-steps:
/// <c>x ← x − (σ_k − σ_{k+1})·v</c>, with one σ pair per sample (tsdsr-reference §3.5 step 5).
/// </summary>
public static class EulerTrajectory
{
    /// <summary>One Euler step; σ tensors have one value per sample ([B]) or one for the batch.</summary>
    /// <returns>A new tensor in <paramref name="x"/>'s dtype; the caller owns it.</returns>
    /// <exception cref="ArgumentException">Shapes do not match.</exception>
    public static Tensor Step(Tensor x, Tensor sigmaCurrent, Tensor sigmaNext, Tensor v)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(sigmaCurrent);
        ArgumentNullException.ThrowIfNull(sigmaNext);
        ArgumentNullException.ThrowIfNull(v);
        if (!x.shape.SequenceEqual(v.shape))
        {
            throw new ArgumentException($"x [{string.Join(", ", x.shape)}] and v [{string.Join(", ", v.shape)}] must have the same shape.", nameof(v));
        }

        long batch = x.dim() == 0 ? 1 : x.shape[0];
        foreach (var (s, name) in new[] { (sigmaCurrent, nameof(sigmaCurrent)), (sigmaNext, nameof(sigmaNext)) })
        {
            if (s.numel() != 1 && s.numel() != batch)
            {
                throw new ArgumentException($"{name} must have 1 or {batch} elements, got {s.numel()}.", name);
            }
        }

        using var scope = NewDisposeScope();
        var shape = new long[Math.Max(x.dim(), 1)];
        Array.Fill(shape, 1L);
        var delta = sigmaCurrent.to(ScalarType.Float32, x.device).flatten().sub(sigmaNext.to(ScalarType.Float32, x.device).flatten());
        shape[0] = delta.numel();
        delta = delta.reshape(shape);
        return x.sub(delta.mul(v.to(ScalarType.Float32)).to(x.dtype)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Runs every sub-step of <paramref name="plan"/> from <paramref name="x0"/>, asking <paramref name="velocity"/> for
    /// v at (x, sub-step k); the last sub-step takes no Euler step (as the reference). Returns the states the velocity
    /// was evaluated at (x_0 … x_{N−1}); the caller owns them.
    /// </summary>
    public static IReadOnlyList<Tensor> Run(DasmPlan plan, TsdSr.Schedulers.FlowMatchEulerDiscreteScheduler scheduler, Tensor x0, Func<Tensor, int, Tensor> velocity)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(x0);
        ArgumentNullException.ThrowIfNull(velocity);
        var states = new List<Tensor> { x0.clone() };
        for (int k = 0; k < plan.SubSteps - 1; k++)
        {
            using var v = velocity(states[^1], k);
            using var sc = plan.SigmasAt(scheduler, k, x0.device);
            using var sn = plan.NextSigmasAt(scheduler, k, x0.device);
            states.Add(Step(states[^1], sc, sn, v));
        }

        return states;
    }
}
