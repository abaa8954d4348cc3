namespace TsdSr.Training.Schedules;

/// <summary>
/// A learning-rate schedule as a pure function of the optimiser step, with the closed forms of diffusers' /
/// transformers' <c>get_*_schedule_with_warmup</c> (LambdaLR factors). The reference builds its scheduler with warm-up and
/// total steps multiplied by the number of processes (a quirk of the official TSD-SR code): <see cref="ProcessMultiplier"/>
/// reproduces that; <see cref="AdvanceByProcesses"/> additionally advances the schedule that many ticks per optimiser
/// step, as accelerate's prepared scheduler does (then the two cancel).
/// </summary>
public sealed record LrSchedule
{
    /// <summary>The shape.</summary>
    public LrScheduleKind Kind { get; init; } = LrScheduleKind.Constant;

    /// <summary>Warm-up steps (before the multiplier).</summary>
    public int WarmupSteps { get; init; }

    /// <summary>Total training steps (before the multiplier; used by the decaying shapes).</summary>
    public int TotalSteps { get; init; } = 1;

    /// <summary>Number of hard restarts (<c>lr_num_cycles</c>) for <see cref="LrScheduleKind.CosineWithRestarts"/>.</summary>
    public int NumCycles { get; init; } = 1;

    /// <summary>Factor on warm-up and total steps (the reference's <c>num_processes</c>; 1 = off).</summary>
    public int ProcessMultiplier { get; init; } = 1;

    /// <summary>Advance <see cref="ProcessMultiplier"/> schedule ticks per optimiser step (accelerate's behaviour).</summary>
    public bool AdvanceByProcesses { get; init; }

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentException($"Unknown learning-rate schedule {Kind}.");
        }

        if (WarmupSteps < 0)
        {
            throw new ArgumentException($"lr warmup_steps must not be negative, got {WarmupSteps}.");
        }

        if (TotalSteps < 1)
        {
            throw new ArgumentException($"lr total_steps must be at least 1, got {TotalSteps}.");
        }

        if (NumCycles < 1)
        {
            throw new ArgumentException($"lr num_cycles must be at least 1, got {NumCycles}.");
        }

        if (ProcessMultiplier < 1)
        {
            throw new ArgumentException($"lr process_multiplier must be at least 1, got {ProcessMultiplier}.");
        }
    }

    /// <summary>The factor on the base learning rate after <paramref name="step"/> optimiser steps.</summary>
    public double Factor(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        long tick = AdvanceByProcesses ? step * ProcessMultiplier : step;
        long warmup = (long)WarmupSteps * ProcessMultiplier;
        long total = (long)TotalSteps * ProcessMultiplier;
        return Kind switch
        {
            LrScheduleKind.Constant => 1.0,
            LrScheduleKind.ConstantWithWarmup => tick < warmup ? (double)tick / Math.Max(1, warmup) : 1.0,
            LrScheduleKind.Linear => tick < warmup
                ? (double)tick / Math.Max(1, warmup)
                : Math.Max(0.0, (double)(total - tick) / Math.Max(1, total - warmup)),
            LrScheduleKind.CosineWithRestarts => CosineWithRestarts(tick, warmup, total),
            _ => throw new InvalidOperationException($"Unknown learning-rate schedule {Kind}."),
        };
    }

    /// <summary>The learning rate after <paramref name="step"/> optimiser steps.</summary>
    public double LearningRate(double baseLearningRate, long step) => baseLearningRate * Factor(step);

    private double CosineWithRestarts(long tick, long warmup, long total)
    {
        if (tick < warmup)
        {
            return (double)tick / Math.Max(1, warmup);
        }

        double progress = (double)(tick - warmup) / Math.Max(1, total - warmup);
        if (progress >= 1.0)
        {
            return 0.0;
        }

        return Math.Max(0.0, 0.5 * (1.0 + Math.Cos(Math.PI * ((NumCycles * progress) % 1.0))));
    }
}
