using TsdSr.Losses.Distillation;
using TsdSr.Schedulers;
using TsdSr.Training.Dasm;
using TsdSr.Training.Randomness;
using static TorchSharp.torch;

namespace TsdSr.Training.Loop;

/// <summary>
/// <see cref="ISubStepPlanner"/> over <see cref="DasmSchedule"/>: N sub-steps from each sample's index (or the first
/// sample's, in the reference's batch mode) with the step weights and the optional random bias.
/// </summary>
public sealed class DasmSubStepPlanner : ISubStepPlanner
{
    /// <summary>Creates the planner; it does not own <paramref name="generator"/>.</summary>
    /// <param name="schedule">The DASM schedule.</param>
    /// <param name="generator">Source of the random biases (required when the options use them).</param>
    /// <exception cref="ArgumentException">The options use a random bias and no generator was given.</exception>
    public DasmSubStepPlanner(DasmSchedule schedule, SeededGenerator? generator)
    {
        Schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));
        if (schedule.Options.UseRandomBias && generator is null)
        {
            throw new ArgumentException("DASM with a random bias needs a generator.", nameof(generator));
        }

        Generator = generator;
    }

    /// <summary>The DASM schedule.</summary>
    public DasmSchedule Schedule { get; }

    /// <summary>The bias generator, if any.</summary>
    public SeededGenerator? Generator { get; }

    /// <summary>The plan of the last call (for logs), or null before the first.</summary>
    public DasmPlan? LastPlan { get; private set; }

    /// <inheritdoc />
    public IReadOnlyList<DistillationSubStep> Plan(Tensor teacherIndices, FlowMatchEulerDiscreteScheduler scheduler, Device device)
    {
        ArgumentNullException.ThrowIfNull(teacherIndices);
        ArgumentNullException.ThrowIfNull(scheduler);
        using var cpu = teacherIndices.to(ScalarType.Int64, CPU);
        var plan = Schedule.Plan(cpu.data<long>().ToArray(), Generator);
        LastPlan = plan;
        var steps = new List<DistillationSubStep>(plan.SubSteps);
        for (int k = 0; k < plan.SubSteps; k++)
        {
            bool last = k == plan.SubSteps - 1;
            steps.Add(new DistillationSubStep(
                plan.TimestepsAt(scheduler, k, device),
                plan.SigmasAt(scheduler, k, device),
                last ? null : plan.NextSigmasAt(scheduler, k, device),
                plan.Weights[k]));
        }

        return steps;
    }
}
