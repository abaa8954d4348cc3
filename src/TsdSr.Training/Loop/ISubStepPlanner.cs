using TsdSr.Losses.Distillation;
using TsdSr.Schedulers;
using static TorchSharp.torch;

namespace TsdSr.Training.Loop;

/// <summary>
/// Builds the distillation sub-steps of one batch from its teacher indices (DASM, the official TSD-SR training script). The
/// training step uses one sub-step of weight 1 at each sample's index when no planner is given (DASM off, as the
/// released script).
/// </summary>
public interface ISubStepPlanner
{
    /// <summary>The sub-steps for a batch noised at <paramref name="teacherIndices"/>.</summary>
    /// <param name="teacherIndices">Per-sample schedule indices [B] (int64, CPU) the latents were noised at.</param>
    /// <param name="scheduler">The schedule whose training view maps indices to σ and timesteps.</param>
    /// <param name="device">Device of the latents (the tensors of the sub-steps go there).</param>
    /// <returns>
    /// At least one sub-step. The tensors are created in the caller's dispose scope (the training step disposes them
    /// when the step ends).
    /// </returns>
    IReadOnlyList<DistillationSubStep> Plan(Tensor teacherIndices, FlowMatchEulerDiscreteScheduler scheduler, Device device);
}
