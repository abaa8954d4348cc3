using TsdSr.Inference.Benchmarking;
using TsdSr.Inference.Hosting;
using TsdSr.Inference.Pipeline;
using TsdSr.Models.Autoencoders;

namespace TsdSr.Tests.Inference.Pipeline;

/// <summary>
/// <see cref="TsdSrPipelineOptions.VaeExplicitAttention"/> reaches every attention layer of the VAE: on by default (the
/// explicit product for bf16 on the CPU, measured faster there), off when asked; the host option defaults alike.
/// </summary>
public sealed class TsdSrPipelineAttentionTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void The_pipeline_sets_the_vae_attention_path_as_asked(bool? asked, bool expected)
    {
        var (transformer, vae) = RandomPipeline.CreateModels(ModelFamily.Tiny);
        var embeddings = new TsdSr.Core.Embeddings.PromptEmbeddings(zeros(1, 4, transformer.Config.JointAttentionDim), zeros(1, transformer.Config.PooledProjectionDim), "zeros");
        var options = asked is { } value ? new TsdSrPipelineOptions { Device = "cpu", VaeExplicitAttention = value } : new TsdSrPipelineOptions { Device = "cpu" };
        var attentions = vae.modules().OfType<VaeAttention>().ToList();
        attentions.Should().NotBeEmpty("the tiny VAE has mid-block attention, so the assertions below see something");
        foreach (var attention in attentions)
        {
            attention.ExplicitBFloat16OnCpu = !expected; // the opposite, so that the pipeline must set it
        }

        using var pipeline = TsdSrPipeline.Create(transformer, vae, embeddings, options);

        attentions.Should().OnlyContain(a => a.ExplicitBFloat16OnCpu == expected);
    }

    [Fact]
    public void The_host_option_is_on_by_default_and_copied()
    {
        new TsdSrOptions().VaeExplicitAttention.Should().BeTrue();
        var target = new TsdSrOptions();
        new TsdSrOptions { VaeExplicitAttention = false }.CopyTo(target);
        target.VaeExplicitAttention.Should().BeFalse();
    }
}
