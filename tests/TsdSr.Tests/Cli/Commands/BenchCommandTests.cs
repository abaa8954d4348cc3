using TsdSr.Cli.Commands;
using TsdSr.Inference.Benchmarking;

namespace TsdSr.Tests.Cli.Commands;

/// <summary><c>tsdsr bench</c>: the stages it reports, their floor arithmetic, and the dtype it recommends.</summary>
public class BenchCommandTests
{
    [Fact]
    public void A_tiny_run_times_every_stage_and_relates_each_to_its_gemm_speed_floor()
    {
        var report = BenchRunner.Run(ModelFamily.Tiny, [torch.ScalarType.Float32], repetitions: 1, TextWriter.Null);

        report.GemmGflops.Should().ContainKey("fp32").WhoseValue.Should().BePositive();
        report.Stages.Select(s => s.Stage).Should().Equal("encode", "transformer", "decode", "end_to_end");
        foreach (var s in report.Stages.Where(s => s.Stage != "end_to_end"))
        {
            s.Seconds.Should().BePositive();
            s.FloorSeconds.Should().BeApproximately(s.Gflop / report.GemmGflops["fp32"], 1e-9);
            s.TimesFloor.Should().BeApproximately(s.Seconds / s.FloorSeconds, 1e-9);
        }

        report.Recommendation.Should().Be("fp32", "only fp32 was measured");
        report.Device.Should().Be("cpu");
        report.Allocator.Should().Be(TsdSr.Core.Devices.NativeAllocator.Describe(), "the report names the malloc that served the run");
        report.VaeChannelsLast.Should().BeNull("the pipeline's automatic layout is timed unless asked");
        report.Stages.Should().OnlyContain(s => !s.VaeChannelsLast, "automatic keeps an fp32 VAE contiguous");
        report.LinearAsConvolution.Should().BeNull();
        report.Stages.Should().OnlyContain(s => s.LinearAsConvolution == TsdSr.Core.Devices.CpuVendor.IsAmd, "automatic computes fp32 linear layers as convolutions exactly on AMD CPUs");
    }

    [Theory]
    [InlineData("product", false)]
    [InlineData("convolution", true)]
    public async Task The_fp32_linear_option_is_timed_as_asked(string asked, bool convolution)
    {
        var root = new System.CommandLine.RootCommand { BenchCommand.Create() };
        using var output = new StringWriter();

        int code = await root.Parse(["bench", "--model", "tiny", "--dtype", "fp32,bf16", "--repetitions", "1", "--fp32-linear", asked])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = TextWriter.Null });

        code.Should().Be(0);
        output.ToString().Should().Contain($"fp32 linear {asked}")
            .And.Contain($"| fp32 | NCHW | {(convolution ? "conv" : "product")} | transformer |")
            .And.Contain("| bf16 | NHWC | product | transformer |", "bf16 layers always use libtorch's product");
    }

    [Fact]
    public async Task The_vae_layout_option_reaches_the_report_and_its_header()
    {
        var root = new System.CommandLine.RootCommand { BenchCommand.Create() };
        using var output = new StringWriter();

        int code = await root.Parse(["bench", "--model", "tiny", "--dtype", "fp32", "--repetitions", "1", "--vae-layout", "channels-last"])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = TextWriter.Null });

        code.Should().Be(0);
        output.ToString().Should().Contain("Tiny sizes, VAE layout channels-last, fp32 linear auto")
            .And.Contain($"| fp32 | NHWC | {(TsdSr.Core.Devices.CpuVendor.IsAmd ? "conv" : "product")} | decode |")
            .And.Contain($"malloc {TsdSr.Core.Devices.NativeAllocator.Describe()}");
        if (TsdSr.Core.Devices.NativeAllocator.IsGlibc(TsdSr.Core.Devices.NativeAllocator.Describe()))
        {
            output.ToString().Should().Contain("LD_PRELOAD=libtcmalloc_minimal.so.4", "a CPU run on glibc's malloc says how to keep large tensors for reuse");
        }
        else
        {
            output.ToString().Should().NotContain("LD_PRELOAD=");
        }
        var forced = BenchRunner.Run(ModelFamily.Tiny, [torch.ScalarType.Float32], 1, TextWriter.Null, vaeChannelsLast: true);
        forced.VaeChannelsLast.Should().BeTrue();
        forced.Stages.Should().OnlyContain(s => s.VaeChannelsLast);
        BenchRunner.Run(ModelFamily.Tiny, [torch.ScalarType.BFloat16], 1, TextWriter.Null).Stages.Should().OnlyContain(s => s.VaeChannelsLast, "automatic lays a bf16 VAE out channels-last on the CPU");
    }

    [Fact]
    public void On_a_gpu_the_faster_dtype_is_recommended_as_measured()
    {
        BenchStage E2e(string dtype, double seconds) => new(dtype, "end_to_end", seconds, 0, 0, 0, false, false);

        BenchRunner.RecommendCuda([E2e("fp32", 2.0), E2e("bf16", 1.0)]).Should().Be(("bf16", "2.00x faster end to end than fp32 on this GPU."));
        BenchRunner.RecommendCuda([E2e("fp32", 1.0), E2e("bf16", 1.5)]).Dtype.Should().Be("fp32");
        BenchRunner.RecommendCuda([E2e("bf16", 1.0)]).Reason.Should().Contain("only one dtype");
    }

    [Fact]
    public async Task An_unusable_device_is_a_usage_error_naming_the_option()
    {
        var root = new System.CommandLine.RootCommand { BenchCommand.Create() };
        using var err = new StringWriter();

        int code = await root.Parse(["bench", "--device", "cuda:x", "--model", "tiny"]).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = TextWriter.Null, Error = err });

        code.Should().Be(2);
        err.ToString().Should().StartWith("--device: ").And.Contain("cuda:x");
    }

    [Fact]
    public void Bf16_is_recommended_only_where_it_is_native_and_measured_faster()
    {
        BenchStage E2e(string dtype, double seconds) => new(dtype, "end_to_end", seconds, 0, 0, 0, false, false);
        BenchStage[] bf16Faster = [E2e("fp32", 2.0), E2e("bf16", 1.0)];

        BenchRunner.Recommend(["avx2", "avx512f"], bf16Faster).Dtype.Should().Be("fp32", "without AVX-512 BF16 or AMX bf16 is emulated");
        BenchRunner.Recommend(["avx512_bf16"], bf16Faster).Should().Be(("bf16", "native bf16, 2.00x faster end to end than fp32 (at a small, measured accuracy cost: docs/inference.md)."));
        BenchRunner.Recommend(["amx_bf16"], [E2e("fp32", 1.0), E2e("bf16", 1.5)]).Dtype.Should().Be("fp32", "native but slower");
    }
}
