using TorchSharp;
using TsdSr.Core.Embeddings;
using TsdSr.Inference.Pipeline;
using TsdSr.Models.Autoencoders;
using TsdSr.Models.Lora;
using TsdSr.Models.Transformers;
using static TorchSharp.torch;

namespace TsdSr.Inference.Benchmarking;

/// <summary>
/// A TSD-SR pipeline with random weights of a model family's real sizes (and its LoRA ranks and prompt length), for
/// speed and memory measurements: nothing needs downloading, and neither time nor memory depends on the values.
/// </summary>
public static class RandomPipeline
{
    /// <summary>
    /// Builds the models, attaches the LoRA (merged, as <see cref="TsdSrPipelineOptions.MergeLora"/> defaults to, or
    /// at runtime) and returns the pipeline with its models (owned by the pipeline, cast to <paramref name="dtype"/> and
    /// moved to <paramref name="device"/>: cpu, cuda or cuda:N), the VAE laid out as <paramref name="vaeChannelsLast"/> asks and the fp32
    /// linear layers computed as <paramref name="linearAsConvolution"/> asks (null: the pipeline's automatic choices).
    /// </summary>
    public static (TsdSrPipeline Pipeline, SD3Transformer2DModel Transformer, AutoencoderKL Vae) Create(
        ModelFamily family, ScalarType dtype, bool mergeLora = true, string device = "cpu", bool? vaeChannelsLast = null, bool? linearAsConvolution = null)
    {
        var (transformer, vae) = CreateModels(family, mergeLora);
        var embeddings = new PromptEmbeddings(randn(1, PromptTokens(family), transformer.Config.JointAttentionDim), randn(1, transformer.Config.PooledProjectionDim), "random");
        var pipeline = TsdSrPipeline.Create(transformer, vae, embeddings, new TsdSrPipelineOptions
        {
            Device = device,
            TransformerDtype = dtype,
            VaeDtype = dtype,
            MergeLora = mergeLora,
            VaeChannelsLast = vaeChannelsLast,
            LinearAsConvolution = linearAsConvolution,
        });
        return (pipeline, transformer, vae);
    }

    /// <summary>The family's two models (fp32, CPU, eval mode, seeded) with their LoRA, merged by default as the pipeline loads it.</summary>
    public static (SD3Transformer2DModel Transformer, AutoencoderKL Vae) CreateModels(ModelFamily family, bool mergeLora = true)
    {
        manual_seed(0);
        var (transformerConfig, vaeConfig, transformerRank, vaeRank) = family switch
        {
            ModelFamily.Sd3Medium => (SD3TransformerConfig.Sd3Medium, AutoencoderKLConfig.Sd3, 64, 64),
            ModelFamily.Nano => (SD3TransformerConfig.Nano, AutoencoderKLConfig.Nano, 32, 16),
            // The tiny test config's position table is too small for a 512² output in one tile (64² tokens): widen it.
            _ => (SD3TransformerConfig.Tiny with { SampleSize = 32, PosEmbedMaxSize = 64 }, AutoencoderKLConfig.Tiny, 4, 4),
        };
        var transformer = new SD3Transformer2DModel(transformerConfig);
        var vae = new AutoencoderKL(vaeConfig);
        LoraAdapters.Add(transformer, "default", LoraConfig.TsdSrTransformer with { Rank = transformerRank, Alpha = transformerRank });
        LoraAdapters.Add(vae, "default", LoraConfig.TsdSrVaeEncoder with { Rank = vaeRank, Alpha = vaeRank });
        if (mergeLora)
        {
            LoraAdapters.MergeAndUnload(transformer);
            LoraAdapters.MergeAndUnload(vae);
        }

        transformer.eval();
        vae.eval();
        return (transformer, vae);
    }

    /// <summary>Prompt tokens of the family's embeddings (333 for SD3: 77 CLIP + 256 T5).</summary>
    public static int PromptTokens(ModelFamily family) => family switch
    {
        ModelFamily.Sd3Medium => 333,
        ModelFamily.Nano => 8,
        _ => 7,
    };
}
