namespace TsdSr.Tests.Build;

/// <summary>The native backend loads on this machine (patched by the build where the host libstdc++ is older).</summary>
public class TorchLoadTests
{
    [Fact]
    public void A_torch_op_runs_on_the_cpu_backend()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2);
        using var b = a.matmul(a);
        b.data<float>().ToArray().Should().Equal(7, 10, 15, 22);
    }

    [Fact]
    public void Libtorch_reports_its_version()
    {
        __version__.Should().StartWith("2.10");
    }
}
