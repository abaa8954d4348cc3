using TsdSr.Core.Devices;
using TsdSr.Inference.Benchmarking;
using TsdSr.Inference.Hosting;
using TsdSr.Inference.Pipeline;
using TsdSr.Models.Lora;

namespace TsdSr.Tests.Inference.Pipeline;

/// <summary>
/// <see cref="TsdSrPipelineOptions.LinearAsConvolution"/> reaches every linear layer of the transformer and the VAE:
/// automatic (on for an AMD CPU, off otherwise), or forced either way; the host option defaults to automatic.
/// </summary>
public sealed class TsdSrPipelineLinearTests
{
    public static TheoryData<bool?> Asked => new() { null, true, false };

    [Theory]
    [MemberData(nameof(Asked))]
    public void The_pipeline_sets_every_linear_layer_as_asked(bool? asked)
    {
        bool expected = asked ?? CpuVendor.IsAmd;
        var (transformer, vae) = RandomPipeline.CreateModels(ModelFamily.Tiny);
        var embeddings = new TsdSr.Core.Embeddings.PromptEmbeddings(zeros(1, 4, transformer.Config.JointAttentionDim), zeros(1, transformer.Config.PooledProjectionDim), "zeros");
        var linears = transformer.modules().Concat(vae.modules()).OfType<LoraLinear>().ToList();
        linears.Should().Contain(l => vae.modules().Contains(l), "the VAE's attention has linear layers too");
        foreach (var linear in linears)
        {
            linear.Fp32ConvolutionOnCpu = !expected; // the opposite, so that the pipeline must set it
        }

        using var pipeline = TsdSrPipeline.Create(transformer, vae, embeddings, new TsdSrPipelineOptions { Device = "cpu", LinearAsConvolution = asked });

        pipeline.LinearAsConvolution.Should().Be(expected);
        linears.Should().OnlyContain(l => l.Fp32ConvolutionOnCpu == expected);
    }

    [Fact]
    public void Automatic_means_on_for_an_amd_cpu_and_never_off_the_cpu()
    {
        var options = new TsdSrPipelineOptions();
        options.UsesLinearAsConvolution(torch.CPU).Should().Be(CpuVendor.IsAmd);
        options.UsesLinearAsConvolution(new torch.Device("cuda:0")).Should().BeFalse();
        (options with { LinearAsConvolution = true }).UsesLinearAsConvolution(new torch.Device("cuda:0")).Should().BeTrue("forcing is the host's call; the layers still check the device of every call");
    }

    [Fact]
    public void The_host_option_is_automatic_by_default_and_copied()
    {
        new TsdSrOptions().LinearAsConvolution.Should().BeNull();
        var target = new TsdSrOptions();
        new TsdSrOptions { LinearAsConvolution = false }.CopyTo(target);
        target.LinearAsConvolution.Should().BeFalse();
    }
}
