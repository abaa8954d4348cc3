using TsdSr.Core.Devices;

namespace TsdSr.Tests.Core.Devices;

public class DeviceSelectorTests
{
    [Theory]
    [InlineData("cpu")]
    [InlineData(" CPU ")]
    public void Cpu_resolves_to_the_cpu(string name) => DeviceSelector.Resolve(name).type.Should().Be(DeviceType.CPU);

    [Fact]
    public void Auto_falls_back_to_the_cpu_without_a_cuda_backend()
    {
        if (cuda.is_available())
        {
            DeviceSelector.Resolve("auto").type.Should().Be(DeviceType.CUDA);
        }
        else
        {
            DeviceSelector.Resolve("auto").type.Should().Be(DeviceType.CPU);
        }
    }

    [Fact]
    public void Explicit_cuda_without_a_backend_explains_what_to_install()
    {
        if (cuda.is_available())
        {
            DeviceSelector.Resolve("cuda:0").type.Should().Be(DeviceType.CUDA);
            return;
        }

        var act = () => DeviceSelector.Resolve("cuda");
        act.Should().Throw<TorchBackendException>().WithMessage("*libtorch-cuda*");
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:x")]
    [InlineData("cuda:-1")]
    public void Unknown_names_are_rejected(string name)
    {
        var act = () => DeviceSelector.Resolve(name);
        act.Should().Throw<ArgumentException>().WithMessage($"*{name}*");
    }

    [Fact]
    public void Diagnostics_report_the_libtorch_version_and_threads()
    {
        var d = TorchDiagnostics.Collect();
        d.LibTorchVersion.Should().StartWith("2.10");
        d.Threads.Should().BeGreaterThan(0);
        if (!d.CudaAvailable)
        {
            d.CudaDeviceCount.Should().Be(0);
        }
    }
}
