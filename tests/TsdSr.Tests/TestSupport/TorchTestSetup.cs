using System.Runtime.CompilerServices;

namespace TsdSr.Tests.TestSupport;

internal static class TorchTestSetup
{
    /// <summary>Small CI machines have 2 cores; libtorch's default thread pools oversubscribe them.</summary>
    [ModuleInitializer]
    internal static void Initialize()
    {
        torch.set_num_threads(Math.Max(1, Math.Min(Environment.ProcessorCount, 4)));
    }
}
