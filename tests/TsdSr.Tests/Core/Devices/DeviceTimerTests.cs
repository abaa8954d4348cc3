using TsdSr.Core.Devices;

namespace TsdSr.Tests.Core.Devices;

public class DeviceTimerTests
{
    [Fact]
    public void Time_measures_the_work_on_the_CPU()
    {
        double seconds = DeviceTimer.Time(CPU, () => Thread.Sleep(30));
        seconds.Should().BeGreaterThanOrEqualTo(0.025).And.BeLessThan(5);
    }

    [Fact]
    public void Best_runs_the_warm_ups_untimed_and_returns_the_smallest_timing()
    {
        int calls = 0;
        // The warm-up (first call) is slow; the timed ones are fast: the best must be a fast one.
        double best = DeviceTimer.Best(CPU, 2, () => Thread.Sleep(calls++ == 0 ? 300 : 1), warmups: 1);
        calls.Should().Be(3);
        best.Should().BeLessThan(0.25);
        FluentActions.Invoking(() => DeviceTimer.Best(CPU, 0, () => { })).Should().Throw<ArgumentOutOfRangeException>();
    }
}
