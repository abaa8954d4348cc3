using TsdSr.Tests.TestSupport;
using TsdSr.Schedulers;
using TsdSr.Training.Dasm;

namespace TsdSr.Tests.Training.Dasm;

public sealed class EulerTrajectoryTests
{
    private static double Sigma(int index)
    {
        double s = (1000.0 - index) / 1000.0;
        return 3 * s / (1 + (2 * s));
    }

    [Fact]
    public void One_step_subtracts_the_sigma_difference_times_v_per_sample()
    {
        using var x = tensor(new float[] { 1f, 2f, 3f, 4f }).reshape(2, 1, 1, 2);
        using var v = tensor(new float[] { 0.5f, -1f, 2f, 0f }).reshape(2, 1, 1, 2);
        using var sc = tensor(new float[] { 0.8f, 0.5f });
        using var sn = tensor(new float[] { 0.6f, 0.25f });
        using var y = EulerTrajectory.Step(x, sc, sn, v);
        // sample 0: x − 0.2·v = (0.9, 2.2); sample 1: x − 0.25·v = (2.5, 4).
        var got = y.data<float>().ToArray();
        got.Zip(new[] { 0.9f, 2.2f, 2.5f, 4f }).Should().OnlyContain(p => Math.Abs(p.First - p.Second) < 1e-6);
    }

    [Fact]
    public void Run_follows_the_hand_computed_trajectory_and_skips_the_last_step()
    {
        var scheduler = new FlowMatchEulerDiscreteScheduler();
        var plan = new DasmSchedule(new DasmOptions { UseRandomBias = false, SubSteps = 3 }).Plan([100, 600], null);
        using var x0 = tensor(new float[] { 1f, -1f }).reshape(2, 1, 1, 1);
        var velocities = new[] { new float[] { 0.5f, 2f }, new float[] { -1f, 0.25f }, new float[] { 9f, 9f } };
        var calls = new List<int>();
        var states = EulerTrajectory.Run(plan, scheduler, x0, (x, k) =>
        {
            calls.Add(k);
            return tensor(velocities[k]).reshape(2, 1, 1, 1);
        });

        calls.Should().Equal(0, 1);
        states.Should().HaveCount(3);
        // By hand: x1 = x0 − (σ_a − σ_{a+50})·v0, x2 = x1 − (σ_{a+50} − σ_{a+100})·v1, per sample start a.
        var starts = new[] { 100, 600 };
        var x0v = new[] { 1.0, -1.0 };
        for (int b = 0; b < 2; b++)
        {
            int a = starts[b];
            double x1 = x0v[b] - ((Sigma(a) - Sigma(a + 50)) * velocities[0][b]);
            double x2 = x1 - ((Sigma(a + 50) - Sigma(a + 100)) * velocities[1][b]);
            ((double)states[1][b, 0, 0, 0].item<float>()).Should().BeApproximately(x1, 1e-6);
            ((double)states[2][b, 0, 0, 0].item<float>()).Should().BeApproximately(x2, 1e-6);
        }

        foreach (var s in states)
        {
            s.Dispose();
        }
    }

    [Fact]
    public void Mismatched_shapes_are_rejected()
    {
        using var x = zeros(2, 4);
        using var v = zeros(2, 3);
        using var s = ones(2);
        using var s3 = ones(3);
        FluentActions.Invoking(() => EulerTrajectory.Step(x, s, s, v)).Should().Throw<ArgumentException>();
        using var v2 = zeros(2, 4);
        FluentActions.Invoking(() => EulerTrajectory.Step(x, s3, s, v2)).Should().Throw<ArgumentException>().WithMessage("*sigmaCurrent*");
    }

    [Fact]
    public void Planning_and_stepping_leave_no_live_tensors()
    {
        var scheduler = new FlowMatchEulerDiscreteScheduler();
        var schedule = new DasmSchedule(new DasmOptions());
        using var g = new TsdSr.Training.Randomness.SeededGenerator(1);
        using var x = ones(2, 1, 2, 2);
        LeakCheck.NoLiveTensorsAfter(() =>
        {
            var plan = schedule.Plan([100, 700], g);
            var states = EulerTrajectory.Run(plan, scheduler, x, (s, _) => s.mul(0.5));
            foreach (var s in states)
            {
                s.Dispose();
            }
        });
    }
}
