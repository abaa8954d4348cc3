using BenchmarkDotNet.Attributes;
using TsdSr.Imaging;
using TsdSr.Inference;
using TsdSr.Inference.Benchmarking;
using TsdSr.Inference.Pipeline;
using TsdSr.Models.Autoencoders;
using TsdSr.Models.Transformers;
using static TorchSharp.torch;

namespace TsdSr.Benchmarks.Inference;

/// <summary>
/// The stages of a 128→512 upscale, shared by the model families' benchmark classes: the whole upscale, the VAE encoder
/// on the 512² input, one untiled transformer pass on the latent and the VAE decoder. A derived class builds the
/// pipeline and the models in its <c>[GlobalSetup]</c> and hands them over with <see cref="Use"/>.
/// </summary>
public abstract class UpscaleStageBenchmarks
{
    private TsdSrPipeline pipeline = null!;
    private SD3Transformer2DModel transformer = null!;
    private AutoencoderKL vae = null!;
    private bool ownModels;
    private RgbImage input = null!;
    private StageInputs inputs = null!;

    /// <summary>The whole upscale, 128×128 → 512×512, wavelet colour fix (the CLI's defaults).</summary>
    [Benchmark]
    public RgbImage EndToEnd() => pipeline.Upscale(input, new UpscaleSettings());

    /// <summary>VAE encoder (with its LoRA) on the 512×512 input.</summary>
    [Benchmark]
    public void Encode()
    {
        using var mode = inference_mode();
        using var posterior = vae.Encode(inputs.Pixels);
    }

    /// <summary>One transformer pass on the latent of a 512² output (untiled).</summary>
    [Benchmark]
    public void Transformer()
    {
        using var mode = inference_mode();
        using var v = transformer.forward(inputs.Latent, inputs.Prompt, inputs.Pooled, inputs.Timestep);
    }

    /// <summary>VAE decoder on the latent of a 512² output.</summary>
    [Benchmark]
    public void Decode()
    {
        using var mode = inference_mode();
        using var image = vae.Decode(inputs.Latent);
    }

    /// <summary>Releases the pipeline, the models (when not the pipeline's) and the inputs.</summary>
    [GlobalCleanup]
    public virtual void Cleanup()
    {
        inputs.Dispose();
        pipeline.Dispose();
        if (ownModels)
        {
            transformer.Dispose();
            vae.Dispose();
        }
    }

    /// <summary>
    /// Sets the benchmark up: the pipeline for <see cref="EndToEnd"/>, the models for the stages (owned here when
    /// <paramref name="ownModels"/>, else the pipeline's), and random stage inputs of the models' sizes in
    /// <paramref name="dtype"/> with <paramref name="promptTokens"/> prompt tokens.
    /// </summary>
    protected void Use(TsdSrPipeline upscaler, SD3Transformer2DModel stageTransformer, AutoencoderKL stageVae, bool ownModels, ScalarType dtype, int promptTokens)
    {
        pipeline = upscaler;
        transformer = stageTransformer;
        vae = stageVae;
        this.ownModels = ownModels;
        input = RandomTsdSrModels.Image(128, 128);
        inputs = StageInputs.Create(stageTransformer, stageVae, promptTokens, dtype);
    }
}
