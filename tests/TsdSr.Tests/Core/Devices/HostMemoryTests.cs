using TsdSr.Core.Devices;

namespace TsdSr.Tests.Core.Devices;

public sealed class HostMemoryTests
{
    [Fact]
    public void Available_memory_is_positive_and_within_the_runtime_limit()
    {
        HostMemory.AvailableBytes.Should().BePositive().And.BeLessThanOrEqualTo(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
    }

    [Fact]
    public void An_estimate_over_the_available_memory_is_refused_with_both_figures()
    {
        var act = () => HostMemory.EnsureFits(1L << 50, "the transformer of 'config.json' (num_layers 100000)");

        act.Should().Throw<MemoryEstimateException>()
            .WithMessage("Refusing to build the transformer of 'config.json' (num_layers 100000): it needs about 1024.0 TiB but * of memory is available*")
            .Which.RequiredBytes.Should().Be(1L << 50);
        HostMemory.EnsureFits(1024, "a small thing");
    }

    [Fact]
    public void Byte_products_saturate_instead_of_overflowing()
    {
        HostMemory.Times(long.MaxValue / 2, 4).Should().Be(long.MaxValue);
        HostMemory.Times(1000, 4).Should().Be(4000);
    }
}
