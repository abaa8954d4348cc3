using TsdSr.Losses;

namespace TsdSr.Tests.Losses;

/// <summary>γ in L = L_rec + γ·L_tsd: constant 1 in the reference, optional delayed linear ramp.</summary>
public class GammaScheduleTests
{
    [Fact]
    public void Reference_gamma_is_one_at_every_step()
    {
        GammaSchedule.Reference.At(0).Should().Be(1.0);
        GammaSchedule.Reference.At(123_456).Should().Be(1.0);
    }

    [Fact]
    public void Linear_ramp_holds_start_through_the_delay_then_interpolates_to_end()
    {
        var g = GammaSchedule.Linear(0.0, 2.0, rampSteps: 100, delaySteps: 50);
        g.At(0).Should().Be(0.0);
        g.At(49).Should().Be(0.0);
        g.At(50).Should().Be(0.0);
        g.At(75).Should().Be(0.5);
        g.At(150).Should().Be(2.0);
        g.At(10_000).Should().Be(2.0);
    }

    [Fact]
    public void Zero_length_ramp_jumps_at_the_delay()
    {
        var g = GammaSchedule.Linear(0.0, 1.0, rampSteps: 0, delaySteps: 10);
        g.At(9).Should().Be(0.0);
        g.At(10).Should().Be(1.0);
    }

    [Fact]
    public void Invalid_schedules_are_rejected()
    {
        ((Action)(() => GammaSchedule.Constant(-1).Validate())).Should().Throw<ArgumentException>();
        ((Action)(() => (GammaSchedule.Reference with { RampSteps = -1 }).Validate())).Should().Throw<ArgumentException>();
        ((Action)(() => (GammaSchedule.Reference with { Start = 50 }).Validate())).Should().Throw<ArgumentException>()
            .WithMessage("*no delay or ramp*", "a start without a delay or ramp would never apply");
        GammaSchedule.Constant(50).Validate();
        GammaSchedule.Linear(0, 1, rampSteps: 10).Validate();
        ((Action)(() => GammaSchedule.Reference.At(-1))).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Student_loss_adds_gamma_times_the_distillation_term()
    {
        using var scope = NewDisposeScope();
        StudentLoss.Combine(tensor(2.0f), tensor(3.0f), 0.5).item<float>().Should().Be(3.5f);
        StudentLoss.Combine(tensor(2.0f), null, 0.5).item<float>().Should().Be(2.0f);
    }
}
