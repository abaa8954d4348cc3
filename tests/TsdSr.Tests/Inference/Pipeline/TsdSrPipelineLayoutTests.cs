using TsdSr.Inference;
using TsdSr.Inference.Benchmarking;
using TsdSr.Inference.Pipeline;
using TsdSr.Models.Autoencoders;
using TsdSr.Models.Transformers;

namespace TsdSr.Tests.Inference.Pipeline;

/// <summary>
/// The VAE memory layout: contiguous (NCHW) unless channels-last is asked for, and the same image either way up to
/// the summation-order difference.
/// </summary>
public sealed class TsdSrPipelineLayoutTests
{
    [Fact]
    public void The_vae_runs_channels_last_only_when_asked()
    {
        new TsdSrPipelineOptions().VaeChannelsLast.Should().BeFalse("the default keeps the reference's bars");

        var (contiguous, _, vae) = Create(channelsLast: false);
        using (contiguous)
        {
            vae.IsChannelsLast.Should().BeFalse();
        }

        var (nhwc, _, vae2) = Create(channelsLast: true);
        using (nhwc)
        {
            vae2.IsChannelsLast.Should().BeTrue();
        }
    }

    [Fact]
    public void Both_layouts_give_the_same_upscale_up_to_one_grey_level()
    {
        // The tiny random models (seeded: the same weights twice); an 8-bit output can move by one level where the
        // summation order moves a value across a rounding boundary.
        var input = RandomTsdSrInput();
        var (nhwc, _, _) = Create(channelsLast: true);
        var (nchw, _, _) = Create(channelsLast: false);
        using (nhwc)
        using (nchw)
        {
            var a = nhwc.Upscale(input, new UpscaleSettings { ProcessSize = 0 });
            var b = nchw.Upscale(input, new UpscaleSettings { ProcessSize = 0 });
            (a.Width, a.Height).Should().Be((b.Width, b.Height));
            int maxDifference = a.Pixels.Zip(b.Pixels, (x, y) => Math.Abs(x - y)).Max();
            maxDifference.Should().BeLessThanOrEqualTo(1);
        }
    }

    private static (TsdSrPipeline Pipeline, SD3Transformer2DModel Transformer, AutoencoderKL Vae) Create(bool channelsLast)
    {
        var (transformer, vae) = RandomPipeline.CreateModels(ModelFamily.Tiny);
        var embeddings = new TsdSr.Core.Embeddings.PromptEmbeddings(
            randn(1, RandomPipeline.PromptTokens(ModelFamily.Tiny), transformer.Config.JointAttentionDim, generator: new Generator(1)),
            randn(1, transformer.Config.PooledProjectionDim, generator: new Generator(2)), "random");
        var pipeline = TsdSrPipeline.Create(transformer, vae, embeddings, new TsdSrPipelineOptions { Device = "cpu", VaeChannelsLast = channelsLast });
        return (pipeline, transformer, vae);
    }

    private static TsdSr.Imaging.RgbImage RandomTsdSrInput()
    {
        var random = new Random(3);
        var pixels = new byte[32 * 24 * 3];
        random.NextBytes(pixels);
        return new TsdSr.Imaging.RgbImage(32, 24, pixels);
    }
}
