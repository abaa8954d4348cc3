using TorchSharp;
using TsdSr.Core.Devices;
using TsdSr.Core.Layout;
using TsdSr.Core.SafeTensors;
using TsdSr.Core.StateDicts;
using TsdSr.Models.Lora;
using static TorchSharp.torch;

namespace TsdSr.Models.Autoencoders;

/// <summary>
/// diffusers' <c>AutoencoderKL</c> (the SD3 VAE and its SD1/SDXL relatives) with diffusers' state-dict keys, so
/// <c>vae/diffusion_pytorch_model.safetensors</c> loads strictly without renaming. <see cref="Encode"/> and
/// <see cref="Decode"/> apply no latent scaling: callers use <see cref="ScalingFactor"/> / <see cref="ShiftFactor"/>
/// (TSD-SR scales by 1.5305 and never shifts). Every Conv2d / Linear is a LoRA-capable layer.
/// </summary>
public sealed partial class AutoencoderKL : nn.Module
{
    /// <summary>Weight file name in a diffusers model folder.</summary>
    public const string WeightsFileName = "diffusion_pytorch_model.safetensors";

    /// <summary>Sharded-weights index name in a diffusers model folder.</summary>
    public const string WeightsIndexFileName = "diffusion_pytorch_model.safetensors.index.json";

    /// <summary>Config file name in a diffusers model folder.</summary>
    public const string ConfigFileName = "config.json";

    private readonly VaeEncoder encoder;
    private readonly VaeDecoder decoder;
    private readonly LoraConv2d? quant_conv;
    private readonly LoraConv2d? post_quant_conv;

    // Typed access for the tiled runner (AutoencoderKL.Tiling).
    internal LoraConv2d? QuantConv => quant_conv;

    internal LoraConv2d? PostQuantConv => post_quant_conv;

    /// <summary>
    /// Builds the model on the CPU in fp32 with random (PyTorch default) initialisation, or as a
    /// <see cref="ModelConstruction"/> scope says.
    /// </summary>
    /// <exception cref="ArgumentException">The config is invalid.</exception>
    public AutoencoderKL(AutoencoderKLConfig config)
        : base(nameof(AutoencoderKL))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        encoder = new VaeEncoder(config);
        decoder = new VaeDecoder(config);
        if (config.UseQuantConv)
        {
            quant_conv = new LoraConv2d(2L * config.LatentChannels, 2L * config.LatentChannels, 1);
        }

        if (config.UsePostQuantConv)
        {
            post_quant_conv = new LoraConv2d(config.LatentChannels, config.LatentChannels, 1);
        }

        RegisterComponents();
    }

    /// <summary>The configuration.</summary>
    public AutoencoderKLConfig Config { get; }

    /// <summary>Latent scale (1.5305 for SD3), applied by callers: latents = (z − shift)·scale.</summary>
    public double ScalingFactor => Config.ScalingFactor;

    /// <summary>Latent shift (0.0609 for SD3, null if none), applied by callers.</summary>
    public double? ShiftFactor => Config.ShiftFactor;

    /// <summary>The encoder (for LoRA targeting and stage-by-stage inspection).</summary>
    public VaeEncoder Encoder => encoder;

    /// <summary>The decoder.</summary>
    public VaeDecoder Decoder => decoder;

    /// <summary>True after <see cref="ToChannelsLast"/>: weights and activations are laid out NHWC.</summary>
    public bool IsChannelsLast { get; private set; }

    /// <summary>
    /// Lays every convolution weight out channels-last (NHWC) and makes <see cref="Encode"/> / <see cref="Decode"/> run
    /// on channels-last activations (outputs are returned in the usual contiguous layout). Values are unchanged; only
    /// the summation order inside the convolutions can differ. See docs/performance.md for when it pays.
    /// </summary>
    public void ToChannelsLast()
    {
        foreach (var conv in modules().OfType<LoraConv2d>())
        {
            conv.ToChannelsLast();
        }

        IsChannelsLast = true;
    }

    /// <summary>
    /// Loads a diffusers VAE folder: <c>config.json</c> plus <c>diffusion_pytorch_model.safetensors</c> or its sharded
    /// <c>.index.json</c>. A pipeline root with a <c>vae/</c> subfolder, or a Hugging Face cache folder of the model, is
    /// accepted too (see <c>DiffusersLayout</c>). The model is built directly in
    /// <paramref name="dtype"/> on <paramref name="device"/> without random initialisation, loaded strictly (exact key
    /// set and shapes; values converted on copy), and put in eval mode.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">The config or weights are missing.</exception>
    /// <exception cref="WeightLoadException">The weights do not match the model exactly (keys, shapes, dtypes), or a value is not finite.</exception>
    /// <exception cref="InvalidDataException">The config describes a model of another size than the weights file holds (checked before anything is allocated).</exception>
    /// <exception cref="MemoryEstimateException">The model the config describes would not fit in the available memory (checked before anything is allocated).</exception>
    /// <param name="directory">The component folder, pipeline root or cache folder.</param>
    /// <param name="dtype">Weight dtype.</param>
    /// <param name="device">Target device; null keeps the CPU.</param>
    /// <param name="onWarning">Receives what loads but deserves a word: unknown config keys, a wrong <c>_class_name</c>.</param>
    public static AutoencoderKL FromPretrained(string directory, ScalarType dtype = ScalarType.Float32, Device? device = null, Action<string>? onWarning = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        // A component folder, a pipeline root (vae/), or a Hugging Face cache repository / snapshot folder.
        var paths = DiffusersLayout.Resolve(directory, "vae");
        var warnings = new List<string>();
        var config = AutoencoderKLConfig.FromFile(paths.ConfigPath, warnings);
        warnings.ForEach(w => onWarning?.Invoke(w));
        config.Validate();
        using var source = TensorSources.Open(paths.WeightsPath!);
        // Both checks read headers only: nothing the config describes is allocated before they pass.
        var what = $"the VAE of '{paths.ConfigPath}' (block_out_channels [{string.Join(", ", config.BlockOutChannels)}], layers_per_block {config.LayersPerBlock})";
        ModelSizeCheck.RequireFileMatches(source, config.ParameterCount, what);
        HostMemory.EnsureFits(config.EstimatedBytes(), what);

        AutoencoderKL model;
        // Allocated once, in the target dtype and place, with no random init: the strict load overwrites every value.
        using (ModelConstruction.ForLoading(dtype, device))
        {
            model = new AutoencoderKL(config);
        }

        try
        {
            model.LoadWeights(source);
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Loads weights from a tensor source (strict by default; see <see cref="WeightLoadOptions"/> for key maps).</summary>
    /// <exception cref="WeightLoadException">Strict mode and the source does not match the model exactly.</exception>
    public WeightLoadReport LoadWeights(ITensorSource source, WeightLoadOptions? options = null) => WeightLoader.Load(this, source, options);

    /// <summary>
    /// Encodes images [B, in_channels, H, W] (values in [−1, 1]; H and W multiples of <see cref="AutoencoderKLConfig.DownsampleFactor"/>
    /// for an exact round trip) into the posterior over latents. The input is cast to the model's dtype if needed.
    /// </summary>
    /// <returns>The posterior; the caller owns and disposes it.</returns>
    public DiagonalGaussianDistribution Encode(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        CheckInput(images, Config.InChannels, nameof(images));
        Tensor moments;
        using (NewDisposeScope())
        {
            var h = encoder.Forward(ToModelLayout(ToModelDtype(images)), null);
            if (quant_conv is not null)
            {
                h = quant_conv.call(h);
            }

            moments = (IsChannelsLast ? h.contiguous() : h).MoveToOuterDisposeScope();
        }

        return new DiagonalGaussianDistribution(moments);
    }

    /// <summary>
    /// Decodes unscaled latents z [B, latent_channels, h, w] into images in about [−1, 1]. Callers undo the latent
    /// scaling first (z = latents / <see cref="ScalingFactor"/> (+ shift)). The input is cast to the model's dtype if
    /// needed.
    /// </summary>
    /// <returns>A new tensor the caller owns.</returns>
    public Tensor Decode(Tensor latents)
    {
        ArgumentNullException.ThrowIfNull(latents);
        CheckInput(latents, Config.LatentChannels, nameof(latents));
        using var scope = NewDisposeScope();
        var z = ToModelLayout(ToModelDtype(latents));
        if (post_quant_conv is not null)
        {
            z = post_quant_conv.call(z);
        }

        var decoded = decoder.Forward(z, null);
        return (IsChannelsLast ? decoded.contiguous() : decoded).MoveToOuterDisposeScope();
    }

    private Tensor ToModelLayout(Tensor x) => IsChannelsLast ? ChannelsLast.To(x) : x;

    private Tensor ToModelDtype(Tensor x)
    {
        var dtype = encoder.parameters().First().dtype;
        return x.dtype == dtype ? x : x.to(dtype);
    }

    private static void CheckInput(Tensor x, int channels, string name)
    {
        if (x.dim() != 4 || x.shape[1] != channels)
        {
            throw new ArgumentException($"Expected a [B, {channels}, H, W] tensor, got [{string.Join(", ", x.shape)}].", name);
        }
    }
}
