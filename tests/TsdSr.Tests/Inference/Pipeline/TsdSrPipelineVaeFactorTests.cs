using TsdSr.Core.Embeddings;
using TsdSr.Imaging;
using TsdSr.Inference;
using TsdSr.Inference.ColorFix;
using TsdSr.Inference.Pipeline;
using TsdSr.Models.Autoencoders;
using TsdSr.Models.Transformers;
using TsdSr.Tests.Data;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Inference.Pipeline;

/// <summary>
/// The pipeline with a 4× VAE and a patch-4 transformer (the nano family's shape, at test width): pixel/latent sizes,
/// default latent tiles and the padding of latents whose sides are not multiples of the patch size.
/// </summary>
public sealed class TsdSrPipelineVaeFactorTests : IDisposable
{
    private static readonly SD3TransformerConfig Transformer = SD3TransformerConfig.Tiny with { PatchSize = 4, PosEmbedMaxSize = 24, SampleSize = 32 };
    private readonly TsdSrPipeline pipeline;
    private readonly SD3Transformer2DModel transformer;
    private readonly Tensor prompt;
    private readonly Tensor pooled;

    public TsdSrPipelineVaeFactorTests()
    {
        manual_seed(5);
        transformer = new SD3Transformer2DModel(Transformer);
        var vae = new AutoencoderKL(AutoencoderKLConfig.Tiny);
        vae.Config.DownsampleFactor.Should().Be(4, "this test is about a 4x VAE");
        prompt = randn([1, 5, Transformer.JointAttentionDim]);
        pooled = randn([1, Transformer.PooledProjectionDim]);
        // The pipeline takes the models over (a CPU fp32 pipeline keeps the same transformer object) and a copy of the prompt.
        var embeddings = new PromptEmbeddings(prompt.clone(), pooled.clone(), "random");
        pipeline = TsdSrPipeline.Create(transformer, vae, embeddings, new TsdSrPipelineOptions { Device = "cpu" });
    }

    public void Dispose()
    {
        pipeline.Dispose();
        prompt.Dispose();
        pooled.Dispose();
    }

    [Fact]
    public void Default_latent_tiles_cover_512_pixels_with_64_pixels_of_overlap_at_any_vae_factor()
    {
        var settings = new UpscaleSettings();
        settings.LatentTiling(8).Should().Be((64, 8), "SD3's 8x VAE: the reference's 64 / 8 latent pixels");
        settings.LatentTiling(4).Should().Be((128, 16));
        (settings with { LatentTileSize = 32, LatentTileOverlap = 4 }).LatentTiling(4).Should().Be((32, 4), "explicit values are taken as given");
        var act = () => (settings with { LatentTileSize = 16 }).LatentTiling(4);
        act.Should().Throw<ArgumentException>().WithMessage("*overlap (16)*tile (16)*");
    }

    [Fact]
    public void A_4x_vae_processes_at_4x_the_input_without_flooring_to_8()
    {
        // 4·33 = 132 is a multiple of the VAE factor 4 but not of 8: nothing is floored and nothing resized back.
        var image = DataTestImages.Texture(33, 47, 11);
        var shapes = new Dictionary<string, long[]>();
        var output = pipeline.Upscale(image, new UpscaleSettings { ProcessSize = 0, ColorFix = ColorFixMode.None }, null,
            (name, t) => shapes[name] = t.shape.ToArray());

        (output.Width, output.Height).Should().Be((132, 188));
        shapes[TsdSrIntermediates.PixelValues].Should().Equal(1, 3, 188, 132);
        shapes[TsdSrIntermediates.Latent].Should().Equal(1, 16, 47, 33);
        shapes[TsdSrIntermediates.Velocity].Should().Equal(1, 16, 47, 33);
    }

    [Fact]
    public void A_latent_that_is_not_a_multiple_of_the_patch_is_replicate_padded_for_the_transformer_and_cropped_back()
    {
        var image = DataTestImages.Texture(33, 47, 12);
        Tensor? latent = null, velocity = null;
        using var scope = NewDisposeScope();
        pipeline.Upscale(image, new UpscaleSettings { ProcessSize = 0, ColorFix = ColorFixMode.None }, null, (name, t) =>
        {
            if (name == TsdSrIntermediates.Latent)
            {
                latent = t.detach().clone().DetachFromDisposeScope();
            }
            else if (name == TsdSrIntermediates.Velocity)
            {
                velocity = t.detach().clone().DetachFromDisposeScope();
            }
        });

        // The spec, restated: v = crop(transformer(pad_replicate(z, to a multiple of 4)), 47×33).
        using var inference = inference_mode();
        var padded = nn.functional.pad(latent!, [0, 3, 0, 1], PaddingModes.Replicate);
        padded.shape.Should().Equal(1, 16, 48, 36);
        var expected = transformer.forward(padded, prompt, pooled, full([1], 1000f))[.., .., ..47, ..33];
        TensorAssert.Close(velocity!, expected, 1e-6);
        latent!.Dispose();
        velocity!.Dispose();
    }
}
