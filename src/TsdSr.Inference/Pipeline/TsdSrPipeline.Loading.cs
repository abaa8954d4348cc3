using System.Diagnostics;
using Microsoft.Extensions.Logging;
using TorchSharp;
using TsdSr.Core.Devices;
using TsdSr.Core.Embeddings;
using TsdSr.Core.Layout;
using TsdSr.Core.SafeTensors;
using TsdSr.Models.Autoencoders;
using TsdSr.Models.Lora;
using TsdSr.Models.Transformers;

namespace TsdSr.Inference.Pipeline;

/// <summary>Loading the weights.</summary>
public sealed partial class TsdSrPipeline
{
    /// <summary>The transformer LoRA file in the LoRA folder.</summary>
    public const string TransformerLoraFileName = "transformer.safetensors";

    /// <summary>The VAE-encoder LoRA file in the LoRA folder.</summary>
    public const string VaeLoraFileName = "vae.safetensors";

    /// <summary>The base model the LoRA was trained on.</summary>
    public const string BaseModelId = "stabilityai/stable-diffusion-3-medium-diffusers";

    private const string AdapterName = "default";

    /// <summary>
    /// Loads the SD3-medium transformer and VAE from <see cref="TsdSrModelPaths.ModelDirectory"/> (a diffusers folder or
    /// Hugging Face cache snapshot), attaches the TSD-SR LoRA (<c>transformer.safetensors</c> on the transformer,
    /// <c>vae.safetensors</c> on the VAE encoder; both use the <c>transformer.</c> key prefix; α = r) and reads the prompt
    /// embeddings. Every file is checked before any weight is read.
    /// </summary>
    /// <exception cref="FileNotFoundException">A weight, LoRA or embedding file is missing (the message names it and where it was expected).</exception>
    /// <exception cref="DirectoryNotFoundException">A folder is missing.</exception>
    /// <exception cref="TsdSr.Core.SafeTensors.SafetensorsFormatException">A weight file is truncated or corrupt.</exception>
    /// <exception cref="InvalidDataException">The prompt embeddings do not fit the transformer (shape, dtype, size) or hold NaN.</exception>
    /// <exception cref="TsdSr.Core.Devices.MemoryEstimateException">A model's config describes more than the available memory.</exception>
    /// <exception cref="TsdSr.Core.StateDicts.WeightLoadException">Weights do not match (keys, shapes, dtypes) or hold NaN/infinity.</exception>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    public static TsdSrPipeline Load(TsdSrModelPaths paths, TsdSrPipelineOptions options, IProgress<TsdSrProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clock = Stopwatch.StartNew();
        var log = options.Logger;
        var device = DeviceSelector.Resolve(options.Device);
        var (transformerDir, vaeDir) = ResolveModel(paths.ModelDirectory);
        var transformerLora = RequireLora(paths.LoraDirectory, TransformerLoraFileName);
        var vaeLora = RequireLora(paths.LoraDirectory, VaeLoraFileName);
        void Warn(string message) => log?.LogWarning("TSD-SR: {Warning}", message);
        log?.LogInformation("TSD-SR: device {Device}, transformer {TransformerDtype}, VAE {VaeDtype} {VaeLayout}, LoRA {LoraMode}, fp32 linear layers {LinearEngine}",
            device, options.TransformerDtype, options.VaeDtype, options.UsesVaeChannelsLast(device) ? "channels-last" : "contiguous", options.MergeLora ? "merged" : "runtime",
            options.UsesLinearAsConvolution(device) ? "as 1x1 convolutions" : "as matrix products");

        void Report(int done) => progress?.Report(new TsdSrProgress(TsdSrStage.Loading, done, 3, clock.Elapsed));
        SD3Transformer2DModel? transformer = null;
        AutoencoderKL? vae = null;
        PromptEmbeddings? embeddings = null;
        try
        {
            Report(0);
            // The embeddings are small: read and checked against the transformer's config before gigabytes of weights.
            var config = SD3TransformerConfig.FromFile(DiffusersLayout.Resolve(transformerDir, "transformer").ConfigPath);
            using var raw = PromptEmbeddingsLoader.Load(paths.EmbeddingsDirectory, new PromptEmbeddingsLimits { HiddenSize = config.JointAttentionDim, PooledSize = config.PooledProjectionDim });
            using (torch.no_grad())
            {
                // Built directly in the target dtype and device (no fp32 copy of the model at any time).
                transformer = SD3Transformer2DModel.FromPretrained(transformerDir, options.TransformerDtype, device, cancellationToken: ct, onWarning: Warn);
                AttachLora(transformer, transformerLora, options.MergeLora, DiffusersLayout.Resolve(transformerDir, "transformer").WeightsPath!);
                transformer.eval();
                log?.LogInformation("TSD-SR: transformer loaded from {Folder} after {Elapsed}", transformerDir, clock.Elapsed);
                Report(1);
                ct.ThrowIfCancellationRequested();

                vae = AutoencoderKL.FromPretrained(vaeDir, options.VaeDtype, device, onWarning: Warn);
                AttachLora(vae, vaeLora, options.MergeLora, DiffusersLayout.Resolve(vaeDir, "vae").WeightsPath!);
                vae.eval();
                log?.LogInformation("TSD-SR: VAE loaded from {Folder} after {Elapsed}", vaeDir, clock.Elapsed);
                Report(2);
                ct.ThrowIfCancellationRequested();

                embeddings = new PromptEmbeddings(
                    raw.PromptEmbeds.to(options.TransformerDtype, device),
                    raw.PooledPromptEmbeds.to(options.TransformerDtype, device),
                    raw.Source);
            }

            Report(3);
            log?.LogInformation("TSD-SR: loaded in {Elapsed}", clock.Elapsed);
            return new TsdSrPipeline(transformer, vae, embeddings, device, options);
        }
        catch
        {
            transformer?.Dispose();
            vae?.Dispose();
            embeddings?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Wraps models that are already built (e.g. random SD3-sized weights in benchmarks, or weights a host loaded
    /// itself), with their LoRA attached or merged. The pipeline takes ownership of all three and moves them to the
    /// options' device and dtypes.
    /// </summary>
    public static TsdSrPipeline Create(SD3Transformer2DModel transformer, AutoencoderKL vae, PromptEmbeddings embeddings, TsdSrPipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        ArgumentNullException.ThrowIfNull(vae);
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var device = DeviceSelector.Resolve(options.Device);
        using (torch.no_grad())
        {
            transformer.to(device, options.TransformerDtype);
            transformer.eval();
            vae.to(device, options.VaeDtype);
            vae.eval();
            var cast = new PromptEmbeddings(
                embeddings.PromptEmbeds.to(options.TransformerDtype, device),
                embeddings.PooledPromptEmbeds.to(options.TransformerDtype, device),
                embeddings.Source);
            embeddings.Dispose();
            return new TsdSrPipeline(transformer, vae, cast, device, options);
        }
    }

    private static (string Transformer, string Vae) ResolveModel(string modelDirectory)
    {
        try
        {
            return (DiffusersLayout.Resolve(modelDirectory, "transformer").Directory, DiffusersLayout.Resolve(modelDirectory, "vae").Directory);
        }
        catch (FileNotFoundException e)
        {
            throw new FileNotFoundException($"{e.Message} The model folder must hold {BaseModelId} (its transformer/ and vae/ folders).", e.FileName, e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new DirectoryNotFoundException($"{e.Message} The model folder must hold {BaseModelId} (its transformer/ and vae/ folders).", e);
        }
    }

    private static string RequireLora(string loraDirectory, string fileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(loraDirectory);
        var full = Path.GetFullPath(loraDirectory);
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"TSD-SR LoRA folder not found: '{full}' (it must hold {TransformerLoraFileName} and {VaeLoraFileName}).");
        }

        var path = Path.Combine(full, fileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"TSD-SR LoRA file '{fileName}' is missing: expected '{path}' (the LoRA folder must hold {TransformerLoraFileName} and {VaeLoraFileName}).", path);
        }

        return path;
    }

    private static void AttachLora(torch.nn.Module model, string path, bool merge, string baseWeightsPath)
    {
        // Runtime adapters take the model's dtype. Merged ones stay fp32 and are added to the base weights re-read at
        // their stored precision, one layer at a time: the same weights as merging an fp32 model and then casting it.
        LoraFile.Load(model, path, AdapterName, new LoraLoadOptions { ComponentPrefix = "transformer", AdapterDType = merge ? torch.ScalarType.Float32 : null });
        if (merge)
        {
            using var source = TensorSources.Open(baseWeightsPath);
            LoraAdapters.MergeAndUnload(model, source);
        }
    }
}
