using System.Diagnostics;
using Microsoft.Extensions.Logging;
using TorchSharp;
using TsdSr.Core.Embeddings;
using TsdSr.Imaging;
using TsdSr.Imaging.Resampling;
using TsdSr.Inference.ColorFix;
using TsdSr.Inference.Preprocessing;
using TsdSr.Inference.Tiling;
using TsdSr.Models.Autoencoders;
using TsdSr.Models.Lora;
using TsdSr.Models.Transformers;

namespace TsdSr.Inference.Pipeline;

/// <summary>
/// The TSD-SR one-step upscaler, step for step the reference's <c>test_tsdsr.py</c> (the official TSD-SR inference script): size rule,
/// torch-bicubic upsampling, VAE encode with the encoder LoRA (posterior mean, or a seeded sample) × scaling factor
/// (no shift), one transformer pass at t = 1000 over Gaussian-blended latent tiles, <c>z − v</c>, decode of
/// <c>z / scaling</c>, truncation to 8 bits, Pillow-bicubic resize back, colour fix, truncation again. Adds tiled
/// VAE encode/decode with exact GroupNorm statistics (<see cref="AutoencoderKL.TiledEncodeMoments"/>, <see cref="AutoencoderKL.TiledDecode"/>) and tile batching.
/// </summary>
public sealed partial class TsdSrPipeline : ITsdSrPipeline
{
    private readonly SD3Transformer2DModel transformer;
    private readonly AutoencoderKL vae;
    private readonly PromptEmbeddings embeddings;
    private readonly torch.Device device;
    private readonly TsdSrPipelineOptions options;
    private bool disposed;

    private TsdSrPipeline(SD3Transformer2DModel transformer, AutoencoderKL vae, PromptEmbeddings embeddings, torch.Device device, TsdSrPipelineOptions options)
    {
        this.transformer = transformer;
        this.vae = vae;
        this.embeddings = embeddings;
        this.device = device;
        this.options = options;
        VaeChannelsLast = options.UsesVaeChannelsLast(device);
        foreach (var attention in vae.modules().OfType<VaeAttention>())
        {
            attention.ExplicitBFloat16OnCpu = options.VaeExplicitAttention;
        }

        LinearAsConvolution = options.UsesLinearAsConvolution(device);
        foreach (var linear in transformer.modules().Concat(vae.modules()).OfType<LoraLinear>())
        {
            linear.Fp32ConvolutionOnCpu = LinearAsConvolution;
        }

        if (VaeChannelsLast)
        {
            using var noGrad = torch.no_grad();
            vae.ToChannelsLast();
        }
    }

    /// <inheritdoc />
    public string Device => device.ToString();

    /// <summary>The options the pipeline was loaded with.</summary>
    public TsdSrPipelineOptions Options => options;

    /// <summary>Whether the VAE runs channels-last (the resolved <see cref="TsdSrPipelineOptions.VaeChannelsLast"/>).</summary>
    public bool VaeChannelsLast { get; }

    /// <summary>Whether fp32 linear layers run as oneDNN convolutions (the resolved <see cref="TsdSrPipelineOptions.LinearAsConvolution"/>).</summary>
    public bool LinearAsConvolution { get; }

    /// <inheritdoc />
    public RgbImage Upscale(RgbImage input, UpscaleSettings settings, IProgress<TsdSrProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Upscale(input, settings, progress, null, cancellationToken);

    /// <summary>
    /// Upscales one image and reports the intermediate tensors (<see cref="TsdSrIntermediates"/>) to
    /// <paramref name="observe"/>; they are valid only during the call. The alpha plane, if any, is Pillow-resized to
    /// the output size and carried through. Cancellation is checked between stages and tiles; a cancelled call leaves
    /// no tensors behind.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid settings or an input too small for them.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public RgbImage Upscale(RgbImage input, UpscaleSettings settings, IProgress<TsdSrProgress>? progress, Action<string, torch.Tensor>? observe, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(settings);
        ObjectDisposedException.ThrowIf(disposed, this);
        settings.Validate();
        var clock = Stopwatch.StartNew();
        void Report(TsdSrStage stage, int done, int total) => progress?.Report(new TsdSrProgress(stage, done, total, clock.Elapsed));

        var plan = settings.PlanSize(input.Width, input.Height, vae.Config.DownsampleFactor);
        Report(TsdSrStage.Preprocessing, 0, 1);
        RgbImage processed;
        using (torch.inference_mode())
        using (var scope = torch.NewDisposeScope())
        {
            var image01 = ImageTensors.ToTensor(input, device);
            var pixels = PixelPreprocessor.ToModelInput(image01, plan);
            observe?.Invoke(TsdSrIntermediates.PixelValues, pixels);
            Report(TsdSrStage.Preprocessing, 1, 1);
            cancellationToken.ThrowIfCancellationRequested();

            var latent = EncodeLatent(pixels, settings, (d, t) => Report(TsdSrStage.Encoding, d, t), cancellationToken);
            observe?.Invoke(TsdSrIntermediates.Latent, latent);
            cancellationToken.ThrowIfCancellationRequested();

            var v = Velocity(latent, settings, (d, t) => Report(TsdSrStage.Transformer, d, t), cancellationToken);
            observe?.Invoke(TsdSrIntermediates.Velocity, v);
            cancellationToken.ThrowIfCancellationRequested();

            var decoded = DecodeImage(latent.sub(v), settings, (d, t) => Report(TsdSrStage.Decoding, d, t), cancellationToken);
            observe?.Invoke(TsdSrIntermediates.Decoded, decoded);
            processed = ImageTensors.FromTensor(decoded.div(2).add(0.5), ByteConversion.Truncate);
        }

        cancellationToken.ThrowIfCancellationRequested();
        Report(TsdSrStage.ColorFix, 0, 1);
        var result = Finish(input, processed, plan, settings.ColorFix);
        Report(TsdSrStage.ColorFix, 1, 1);
        Report(TsdSrStage.Done, 1, 1);
        options.Logger?.LogDebug("TSD-SR: {InW}x{InH} -> {OutW}x{OutH} in {Elapsed}", input.Width, input.Height, result.Width, result.Height, clock.Elapsed);
        return result;
    }

    /// <summary>
    /// The tensor entry point for hosts that bring their own decoder: <paramref name="image01"/> [1,3,H,W] (or [3,H,W]) in
    /// [0,1] is rounded to 8 bits (exact for k/255 values) and upscaled like <see cref="Upscale(RgbImage, UpscaleSettings, IProgress{TsdSrProgress}?, CancellationToken)"/>.
    /// </summary>
    /// <returns>The result as float32 [1,3,H',W'] in [0,1] on the CPU (k/255 values); the caller owns it.</returns>
    public torch.Tensor UpscaleTensor(torch.Tensor image01, UpscaleSettings settings, IProgress<TsdSrProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image01);
        var image = ImageTensors.FromTensor(image01, ByteConversion.Round);
        var result = Upscale(image, settings, progress, null, cancellationToken);
        return ImageTensors.ToTensor(result);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        transformer.Dispose();
        vae.Dispose();
        embeddings.Dispose();
    }

    private torch.Tensor EncodeLatent(torch.Tensor pixels, UpscaleSettings settings, Action<int, int> report, CancellationToken ct)
    {
        using var scope = torch.NewDisposeScope();
        bool tiled = UseTiles(settings.VaeTiling, pixels.shape[2], pixels.shape[3], settings.VaeEncoderTileSize);
        var moments = tiled
            ? vae.TiledEncodeMoments(pixels, settings.VaeEncoderTileSize, StoreDevice, (d, t) => report(d, t), ct, settings.VaeMapStorage)
            : EncodeWhole(pixels, report);
        using var posterior = new DiagonalGaussianDistribution(moments);
        torch.Tensor z;
        if (settings.Seed is { } seed)
        {
            using var generator = new torch.Generator((ulong)seed);
            z = posterior.Sample(generator);
        }
        else
        {
            z = posterior.Mode();
        }

        // Reference: latent = sample · scaling_factor in fp32, and never the shift factor (a quirk of the official TSD-SR code).
        return z.to(torch.ScalarType.Float32).mul(vae.ScalingFactor).MoveToOuterDisposeScope();
    }

    private torch.Tensor EncodeWhole(torch.Tensor pixels, Action<int, int> report)
    {
        report(0, 1);
        using var posterior = vae.Encode(pixels);
        report(1, 1);
        return posterior.Parameters.alias();
    }

    private torch.Tensor Velocity(torch.Tensor latent, UpscaleSettings settings, Action<int, int> report, CancellationToken ct)
    {
        var (tileSize, tileOverlap) = settings.LatentTiling(vae.Config.DownsampleFactor);
        var plan = LatentTileGrid.Create((int)latent.shape[2], (int)latent.shape[3], tileSize, tileOverlap);
        if (plan.IsTiled)
        {
            options.Logger?.LogDebug("TSD-SR: {Tiles} latent tiles of {Size}", plan.Tiles.Count, plan.Tiles[0].Height);
        }

        var dtype = transformer.parameters().First().dtype;
        var v = LatentTileBlender.Run(
            latent,
            plan,
            tiles => RunTransformer(tiles, dtype),
            settings.LatentTileBatchSize,
            new InlineProgress<(int Done, int Total)>(p => report(p.Done, p.Total)),
            ct);
        using (v)
        {
            return v.to(latent.dtype);
        }
    }

    private torch.Tensor RunTransformer(torch.Tensor tiles, torch.ScalarType dtype)
    {
        using var scope = torch.NewDisposeScope();
        long n = tiles.shape[0];
        var prompt = embeddings.PromptEmbeds;
        var pooled = embeddings.PooledPromptEmbeds;
        if (n > 1)
        {
            prompt = prompt.repeat(n, 1, 1);
            pooled = pooled.repeat(n, 1);
        }

        var timestep = torch.full(new long[] { n }, 1000f, torch.ScalarType.Float32, device);
        // A latent side that is not a multiple of the patch size (the reference fails there) is padded by replicating the
        // last rows/columns, and the velocity is cropped back; sizes that the reference accepts are never padded.
        long p = transformer.Config.PatchSize, h = tiles.shape[2], w = tiles.shape[3];
        long padH = (p - (h % p)) % p, padW = (p - (w % p)) % p;
        var x = tiles.to(dtype);
        if (padH > 0 || padW > 0)
        {
            x = torch.nn.functional.pad(x, [0, padW, 0, padH], PaddingModes.Replicate);
        }

        var v = transformer.forward(x, prompt, pooled, timestep);
        if (padH > 0 || padW > 0)
        {
            v = v[.., .., ..(int)h, ..(int)w];
        }

        return v.MoveToOuterDisposeScope();
    }

    private torch.Tensor DecodeImage(torch.Tensor latentOut, UpscaleSettings settings, Action<int, int> report, CancellationToken ct)
    {
        using var scope = torch.NewDisposeScope();
        // An fp32 division by the scaling factor, as the reference (not a multiply by the reciprocal); no shift.
        var z = latentOut.div(vae.ScalingFactor);
        bool tiled = UseTiles(settings.VaeTiling, z.shape[2], z.shape[3], settings.VaeDecoderTileSize);
        torch.Tensor image;
        if (tiled)
        {
            image = vae.TiledDecode(z, settings.VaeDecoderTileSize, StoreDevice, (d, t) => report(d, t), ct, settings.VaeMapStorage);
        }
        else
        {
            report(0, 1);
            image = vae.Decode(z);
            report(1, 1);
        }

        return image.to(torch.ScalarType.Float32).clamp(-1, 1).squeeze(0).MoveToOuterDisposeScope();
    }

    // Under CUDA the tiled VAE parks full feature maps in host memory, so GPU memory is bounded by the tile size.
    private torch.Device StoreDevice => device.type == DeviceType.CUDA ? torch.CPU : device;

    private static bool UseTiles(VaeTilingMode mode, long height, long width, int tileSize) => mode switch
    {
        VaeTilingMode.On => true,
        VaeTilingMode.Off => false,
        _ => Math.Max(height, width) > tileSize,
    };

    private RgbImage Finish(RgbImage input, RgbImage processed, SizePlan plan, ColorFixMode mode)
    {
        var output = plan.ResizeBack ? PillowResize.Bicubic(processed, plan.OutputWidth, plan.OutputHeight) : processed;
        // The wavelet source (and the alpha plane) is the Pillow-bicubic resize of the input to the output size.
        RgbImage? lrScale = mode == ColorFixMode.Wavelet || input.Alpha is not null
            ? PillowResize.Bicubic(input, plan.OutputWidth, plan.OutputHeight)
            : null;
        byte[]? alpha = lrScale?.Alpha;
        if (mode == ColorFixMode.None)
        {
            return new RgbImage(output.Width, output.Height, output.Pixels, alpha);
        }

        using var inference = torch.inference_mode();
        using var scope = torch.NewDisposeScope();
        var target = ImageTensors.ToTensor(output, device);
        var source = mode == ColorFixMode.Wavelet ? ImageTensors.ToTensor(lrScale!, device) : ImageTensors.ToTensor(input, device);
        var fixedImage = mode == ColorFixMode.Wavelet ? WaveletColorFix.Apply(target, source) : AdaInColorFix.Apply(target, source);
        return ImageTensors.FromTensor(fixedImage, ByteConversion.Truncate, alpha);
    }

    /// <summary>A synchronous IProgress (Progress&lt;T&gt; would post to the synchronisation context).</summary>
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
