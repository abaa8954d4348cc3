using TorchSharp;
using TsdSr.Core.Embeddings;
using TsdSr.Inference.Pipeline;
using TsdSr.Models.Autoencoders;
using TsdSr.Models.Lora;
using TsdSr.Models.Transformers;
using static TorchSharp.torch;

namespace TsdSr.Benchmarks.Inference;

/// <summary>
/// A TSD-SR pipeline with random weights of the real sizes (SD3-medium transformer, SD3 VAE, r = 64 LoRA with the
/// TSD-SR target lists, [1,333,4096] / [1,2048] embeddings), or of the tiny test sizes for smoke runs. No weights need
/// downloading; speed and memory do not depend on the values.
/// </summary>
public static class RandomTsdSrModels
{
    /// <summary>
    /// Builds the pipeline and returns it with its models (owned by the pipeline; already cast to <paramref name="dtype"/>)
    /// for stage-by-stage timing. <paramref name="tiny"/> uses the tiny configs (seconds, for smoke runs).
    /// </summary>
    public static (TsdSrPipeline Pipeline, SD3Transformer2DModel Transformer, AutoencoderKL Vae) Create(ScalarType dtype, bool tiny = false, bool mergeLora = false)
    {
        manual_seed(0);
        // The tiny test config's position table is too small for 64² latent tiles: widen it as the pipeline fixture does.
        var transformerConfig = tiny ? SD3TransformerConfig.Tiny with { SampleSize = 32, PosEmbedMaxSize = 48 } : SD3TransformerConfig.Sd3Medium;
        var vaeConfig = tiny ? AutoencoderKLConfig.Tiny : AutoencoderKLConfig.Sd3;
        var transformer = new SD3Transformer2DModel(transformerConfig);
        var vae = new AutoencoderKL(vaeConfig);
        var loraRank = tiny ? 4 : 64;
        LoraAdapters.Add(transformer, "default", LoraConfig.TsdSrTransformer with { Rank = loraRank, Alpha = loraRank });
        LoraAdapters.Add(vae, "default", LoraConfig.TsdSrVaeEncoder with { Rank = loraRank, Alpha = loraRank });
        if (mergeLora)
        {
            LoraAdapters.MergeAndUnload(transformer);
            LoraAdapters.MergeAndUnload(vae);
        }

        var embeddings = new PromptEmbeddings(
            randn(1, tiny ? 7 : 333, transformerConfig.JointAttentionDim),
            randn(1, transformerConfig.PooledProjectionDim),
            "random");
        var pipeline = TsdSrPipeline.Create(transformer, vae, embeddings, new TsdSrPipelineOptions
        {
            Device = "cpu",
            TransformerDtype = dtype,
            VaeDtype = dtype,
            MergeLora = mergeLora,
        });
        return (pipeline, transformer, vae);
    }

    /// <summary>
    /// The nano family at its real sizes (<see cref="SD3TransformerConfig.Nano"/>, <see cref="AutoencoderKLConfig.Nano"/>)
    /// with the shipped LoRA ranks (transformer 32, VAE encoder 16) and 8-token prompt embeddings, fp32 on the CPU.
    /// </summary>
    public static (TsdSrPipeline Pipeline, SD3Transformer2DModel Transformer, AutoencoderKL Vae) CreateNano(bool mergeLora = false)
    {
        var (transformer, vae) = CreateNanoModels(mergeLora);
        var embeddings = new PromptEmbeddings(randn(1, 8, transformer.Config.JointAttentionDim), randn(1, transformer.Config.PooledProjectionDim), "random");
        var pipeline = TsdSrPipeline.Create(transformer, vae, embeddings, new TsdSrPipelineOptions { Device = "cpu", MergeLora = mergeLora });
        return (pipeline, transformer, vae);
    }

    /// <summary>The two nano models with their LoRA (runtime or merged), in eval mode.</summary>
    public static (SD3Transformer2DModel Transformer, AutoencoderKL Vae) CreateNanoModels(bool mergeLora = false)
    {
        manual_seed(0);
        var transformer = new SD3Transformer2DModel(SD3TransformerConfig.Nano);
        var vae = new AutoencoderKL(AutoencoderKLConfig.Nano);
        LoraAdapters.Add(transformer, "default", LoraConfig.TsdSrTransformer with { Rank = 32, Alpha = 32 });
        LoraAdapters.Add(vae, "default", LoraConfig.TsdSrVaeEncoder with { Rank = 16, Alpha = 16 });
        if (mergeLora)
        {
            LoraAdapters.MergeAndUnload(transformer);
            LoraAdapters.MergeAndUnload(vae);
        }

        transformer.eval();
        vae.eval();
        return (transformer, vae);
    }

    /// <summary>A random RGB image.</summary>
    public static TsdSr.Imaging.RgbImage Image(int width, int height)
    {
        var random = new Random(1);
        var pixels = new byte[width * height * 3];
        random.NextBytes(pixels);
        return new TsdSr.Imaging.RgbImage(width, height, pixels);
    }
}
