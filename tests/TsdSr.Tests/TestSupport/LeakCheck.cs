using TorchSharp;

namespace TsdSr.Tests.TestSupport;

/// <summary>Asserts that a block of code leaves no live tensors behind on this thread.</summary>
internal static class LeakCheck
{
    public static void NoLiveTensorsAfter(Action action, int iterations = 3)
    {
        action(); // warm-up: lazily created module state is not a leak
        DisposeScopeManager.Statistics.Reset();
        for (int i = 0; i < iterations; i++)
        {
            action();
        }

        DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(0, "no tensor created by the call may outlive it");
    }
}
