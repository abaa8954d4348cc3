using TsdSr.Training.Schedules;

namespace TsdSr.Tests.Training.Schedules;

public sealed class LrScheduleTests
{
    private static readonly LrSchedule Cosine = new() { Kind = LrScheduleKind.CosineWithRestarts, WarmupSteps = 10, TotalSteps = 110, NumCycles = 1 };

    // Closed forms (transformers' get_cosine_with_hard_restarts_schedule_with_warmup): warm-up step/W, then
    // progress p = (step − W)/(T − W), factor = 0.5·(1 + cos(π·((cycles·p) mod 1))), 0 once p ≥ 1.
    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(5, 0.5)]
    [InlineData(10, 1.0)]
    [InlineData(35, 0.85355339059327373)] // p = 0.25: 0.5·(1 + cos(π/4))
    [InlineData(60, 0.5)] // p = 0.5
    [InlineData(85, 0.14644660940672627)] // p = 0.75
    [InlineData(110, 0.0)]
    [InlineData(500, 0.0)]
    public void Cosine_with_one_cycle_matches_the_closed_form(long step, double expected)
    {
        Cosine.Factor(step).Should().BeApproximately(expected, 1e-12);
    }

    [Theory]
    [InlineData(35, 0.5)] // p = 0.25 → 2p mod 1 = 0.5
    [InlineData(59, 0.00098663578586422)] // p = 0.49 → 0.98: 0.5·(1 + cos(0.98π))
    [InlineData(60, 1.0)] // p = 0.5 → restart
    [InlineData(85, 0.5)]
    public void Cosine_with_two_cycles_restarts_hard_halfway(long step, double expected)
    {
        (Cosine with { NumCycles = 2 }).Factor(step).Should().BeApproximately(expected, 1e-12);
    }

    [Theory]
    [InlineData(LrScheduleKind.Constant, 0, 1.0)]
    [InlineData(LrScheduleKind.Constant, 1000, 1.0)]
    [InlineData(LrScheduleKind.ConstantWithWarmup, 5, 0.5)]
    [InlineData(LrScheduleKind.ConstantWithWarmup, 50, 1.0)]
    [InlineData(LrScheduleKind.Linear, 5, 0.5)]
    [InlineData(LrScheduleKind.Linear, 60, 0.5)] // (110 − 60) / (110 − 10)
    [InlineData(LrScheduleKind.Linear, 200, 0.0)]
    public void Other_shapes_match_their_closed_forms(LrScheduleKind kind, long step, double expected)
    {
        new LrSchedule { Kind = kind, WarmupSteps = 10, TotalSteps = 110 }.Factor(step).Should().BeApproximately(expected, 1e-12);
    }

    [Fact]
    public void Process_multiplier_stretches_warm_up_and_total_like_the_reference()
    {
        var eightGpus = Cosine with { ProcessMultiplier = 8 };
        // Warm-up 80 and total 880 optimiser steps.
        eightGpus.Factor(10).Should().BeApproximately(10.0 / 80, 1e-12);
        eightGpus.Factor(80).Should().BeApproximately(1.0, 1e-12);
        eightGpus.Factor(480).Should().BeApproximately(0.5, 1e-12);
    }

    [Fact]
    public void Advancing_by_processes_cancels_the_multiplier_as_accelerate_does()
    {
        var accelerate = Cosine with { ProcessMultiplier = 8, AdvanceByProcesses = true };
        foreach (var step in new long[] { 0, 5, 10, 35, 60, 85, 110 })
        {
            accelerate.Factor(step).Should().BeApproximately(Cosine.Factor(step), 1e-12);
        }
    }

    [Fact]
    public void Invalid_values_are_rejected_with_their_names()
    {
        FluentActions.Invoking(() => (Cosine with { NumCycles = 0 }).Validate()).Should().Throw<ArgumentException>().WithMessage("*num_cycles*");
        FluentActions.Invoking(() => (Cosine with { WarmupSteps = -1 }).Validate()).Should().Throw<ArgumentException>().WithMessage("*warmup_steps*");
        FluentActions.Invoking(() => (Cosine with { ProcessMultiplier = 0 }).Validate()).Should().Throw<ArgumentException>().WithMessage("*process_multiplier*");
    }
}
