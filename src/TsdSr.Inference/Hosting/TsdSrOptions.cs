using System.ComponentModel.DataAnnotations;
using TsdSr.Imaging;
using TsdSr.Inference.ColorFix;

namespace TsdSr.Inference.Hosting;

/// <summary>
/// Configuration of <see cref="TsdSrUpscaler"/>: where the weights are, the device and precision, and the default
/// per-image settings (an <see cref="UpscaleSettings"/>, exposed property by property). Bound from the <c>TsdSr</c>
/// configuration section by <c>services.AddTsdSr(configuration)</c>; DataAnnotations check the host's own values,
/// <see cref="UpscaleSettings.Problems"/> the per-image ones and <see cref="TsdSrOptionsValidator"/> the cross-field rules.
/// </summary>
public sealed class TsdSrOptions
{
    /// <summary>The conventional configuration section name.</summary>
    public const string SectionName = "TsdSr";

    /// <summary>
    /// SD3-medium diffusers folder (<c>stabilityai/stable-diffusion-3-medium-diffusers</c>), a Hugging Face cache
    /// repository folder or one of its snapshots; or any model folder of the family (e.g. TSD-SR-nano). Leave it,
    /// <see cref="LoraDirectory"/> and <see cref="EmbeddingsDirectory"/> empty to use the bundled model
    /// (<see cref="BundledModel"/>, from the TsdSr.Nano package). Must exist when given.
    /// </summary>
    public string ModelDirectory { get; set; } = "";

    /// <summary>TSD-SR LoRA folder holding <c>transformer.safetensors</c> and <c>vae.safetensors</c>. Must exist when given.</summary>
    public string LoraDirectory { get; set; } = "";

    /// <summary>
    /// Folder with <c>prompt_embeds.pt</c> and <c>pool_embeds.pt</c> (or <c>embeddings.safetensors</c>), or that
    /// safetensors file itself. Must exist when given.
    /// </summary>
    public string EmbeddingsDirectory { get; set; } = "";

    /// <summary>True when none of the three weight locations is set: the bundled model is used.</summary>
    public bool UsesBundledModel => string.IsNullOrWhiteSpace(ModelDirectory) && string.IsNullOrWhiteSpace(LoraDirectory) && string.IsNullOrWhiteSpace(EmbeddingsDirectory);

    /// <summary><c>auto</c> (default: CUDA when available, else CPU), <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public string Device { get; set; } = "auto";

    /// <summary>Precision of both components unless overridden. Default <see cref="TsdSrDtype.Auto"/> (fp32 on CPU).</summary>
    public TsdSrDtype Dtype { get; set; } = TsdSrDtype.Auto;

    /// <summary>Transformer precision; null (default) uses <see cref="Dtype"/>.</summary>
    public TsdSrDtype? TransformerDtype { get; set; }

    /// <summary>VAE precision; null (default) uses <see cref="Dtype"/>.</summary>
    public TsdSrDtype? VaeDtype { get; set; }

    /// <summary>
    /// Merge the LoRA into the base weights at load (default true): one matrix product per layer instead of three, within
    /// the same golden bars as the reference's runtime adapters. False keeps the reference's runtime LoRA arithmetic.
    /// </summary>
    public bool MergeLora { get; set; } = true;

    /// <summary>
    /// Run the VAE channels-last (NHWC). Null (default): automatic, channels-last for a bf16 VAE on the CPU, where it
    /// was measured faster within the bf16 golden bars; true or false forces the layout (see
    /// <see cref="Pipeline.TsdSrPipelineOptions.VaeChannelsLast"/>).
    /// </summary>
    public bool? VaeChannelsLast { get; set; }

    /// <summary>
    /// True (default): a bf16 VAE on the CPU computes its attention as the explicit product in query chunks, which was
    /// measured faster there (see <see cref="Pipeline.TsdSrPipelineOptions.VaeExplicitAttention"/>). False: the fused
    /// attention everywhere.
    /// </summary>
    public bool VaeExplicitAttention { get; set; } = true;

    /// <summary>
    /// Compute fp32 linear layers on the CPU as oneDNN 1×1 convolutions. Null (default): automatic, on for AMD CPUs,
    /// where MKL's fp32 GEMM was measured slower; true or false forces it (see
    /// <see cref="Pipeline.TsdSrPipelineOptions.LinearAsConvolution"/>).
    /// </summary>
    public bool? LinearAsConvolution { get; set; }

    // The per-image defaults live in one UpscaleSettings record (defaults and ranges stated there once); the properties
    // below expose it flat so that the configuration section keeps its keys (TsdSr:Scale, TsdSr:ColorFix, ...).
    private UpscaleSettings defaults = new();

    /// <inheritdoc cref="UpscaleSettings.Scale"/>
    public int Scale { get => defaults.Scale; set => defaults = defaults with { Scale = value }; }

    /// <inheritdoc cref="UpscaleSettings.ProcessSize"/>
    public int ProcessSize { get => defaults.ProcessSize; set => defaults = defaults with { ProcessSize = value }; }

    /// <inheritdoc cref="UpscaleSettings.ColorFix"/>
    public ColorFixMode ColorFix { get => defaults.ColorFix; set => defaults = defaults with { ColorFix = value }; }

    /// <inheritdoc cref="UpscaleSettings.LatentTileSize"/>
    public int? LatentTileSize { get => defaults.LatentTileSize; set => defaults = defaults with { LatentTileSize = value }; }

    /// <inheritdoc cref="UpscaleSettings.LatentTileOverlap"/>
    public int? LatentTileOverlap { get => defaults.LatentTileOverlap; set => defaults = defaults with { LatentTileOverlap = value }; }

    /// <inheritdoc cref="UpscaleSettings.LatentTileBatchSize"/>
    public int LatentTileBatchSize { get => defaults.LatentTileBatchSize; set => defaults = defaults with { LatentTileBatchSize = value }; }

    /// <inheritdoc cref="UpscaleSettings.VaeTiling"/>
    public VaeTilingMode VaeTiling { get => defaults.VaeTiling; set => defaults = defaults with { VaeTiling = value }; }

    /// <inheritdoc cref="UpscaleSettings.VaeEncoderTileSize"/>
    public int VaeEncoderTileSize { get => defaults.VaeEncoderTileSize; set => defaults = defaults with { VaeEncoderTileSize = value }; }

    /// <inheritdoc cref="UpscaleSettings.VaeDecoderTileSize"/>
    public int VaeDecoderTileSize { get => defaults.VaeDecoderTileSize; set => defaults = defaults with { VaeDecoderTileSize = value }; }

    /// <inheritdoc cref="UpscaleSettings.VaeMaxInMemoryMapBytes"/>
    public long VaeMaxInMemoryMapBytes { get => defaults.VaeMaxInMemoryMapBytes; set => defaults = defaults with { VaeMaxInMemoryMapBytes = value }; }

    /// <summary>An existing folder for spilled VAE feature maps; null (default) is the system's temporary folder.</summary>
    public string? VaeSpillDirectory { get => defaults.VaeSpillDirectory; set => defaults = defaults with { VaeSpillDirectory = value }; }

    /// <inheritdoc cref="UpscaleSettings.Seed"/>
    public long? Seed { get => defaults.Seed; set => defaults = defaults with { Seed = value }; }

    /// <summary>
    /// Largest accepted input width × height, checked from the header before decoding (decompression-bomb limit).
    /// At least 1. Default 16,777,216 (4096 × 4096; the ×4 output is then 268 megapixels).
    /// </summary>
    [Range(1L, long.MaxValue)]
    public long MaxInputPixels { get; set; } = 4096L * 4096;

    /// <summary>Largest accepted input file size in bytes. At least 1. Default 512 MiB.</summary>
    [Range(1L, long.MaxValue)]
    public long MaxInputFileBytes { get; set; } = 512L * 1024 * 1024;

    /// <inheritdoc cref="UpscaleSettings.MaxProcessPixels"/>
    public long MaxProcessPixels { get => defaults.MaxProcessPixels; set => defaults = defaults with { MaxProcessPixels = value }; }

    /// <inheritdoc cref="UpscaleSettings.MaxAspectRatio"/>
    public double MaxAspectRatio { get => defaults.MaxAspectRatio; set => defaults = defaults with { MaxAspectRatio = value }; }

    /// <summary>
    /// Replace existing output files. Default false: writing to a path that exists is refused, naming the file. An
    /// output is never written onto its own input, whatever this says.
    /// </summary>
    public bool OverwriteOutputs { get; set; }

    /// <summary>JPEG quality, 1–100, for outputs whose path ends in <c>.jpg</c> or <c>.jpeg</c>. Default 95.</summary>
    [Range(1, 100)]
    public int JpegQuality { get; set; } = 95;

    /// <summary>libtorch intra-op threads, 0–1024; 0 (default) keeps libtorch's default. Process-wide.</summary>
    [Range(0, 1024)]
    public int Threads { get; set; }

    /// <summary>The default per-image settings these options describe (every call without settings of its own uses them).</summary>
    public UpscaleSettings ToUpscaleSettings() => defaults;

    /// <summary>Makes <paramref name="settings"/> the default per-image settings (all of them at once).</summary>
    /// <returns>These options, so that calls can be chained.</returns>
    public TsdSrOptions UseUpscaleSettings(UpscaleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        defaults = settings;
        return this;
    }

    /// <summary>The weight locations.</summary>
    /// <exception cref="InvalidOperationException">No folder is set and no bundled model is present.</exception>
    public TsdSrModelPaths ToModelPaths() => UsesBundledModel
        ? BundledModel.TryFind() ?? throw new InvalidOperationException(NoModelMessage)
        : new(ModelDirectory, LoraDirectory, EmbeddingsDirectory);

    /// <summary>The error when no model is configured and none is bundled.</summary>
    internal static string NoModelMessage =>
        $"No model is configured: set ModelDirectory, LoraDirectory and EmbeddingsDirectory (SD3-medium and the TSD-SR LoRA), " +
        $"or reference the TsdSr.Nano package, whose model is looked for in '{BundledModel.DefaultDirectory}'.";

    /// <summary>The decoder limits for inputs.</summary>
    public ImageLoadOptions ToImageLoadOptions() => new()
    {
        MaxPixels = MaxInputPixels,
        MaxFileBytes = MaxInputFileBytes,
        MaxPixelsSetting = "MaxInputPixels; tsdsr upscale --max-input-pixels",
        MaxFileBytesSetting = "MaxInputFileBytes; tsdsr upscale --max-input-file-bytes",
    };

    /// <summary>How outputs are written: <see cref="JpegQuality"/> and <see cref="OverwriteOutputs"/>.</summary>
    public ImageSaveOptions ToImageSaveOptions() => new() { JpegQuality = JpegQuality, Overwrite = OverwriteOutputs };

    /// <summary>The transformer's precision on a CPU (<paramref name="cuda"/> false) or CUDA device, <see cref="TsdSrDtype.Auto"/> resolved.</summary>
    public TsdSrDtype ResolveTransformerDtype(bool cuda) => Resolve(TransformerDtype ?? Dtype, cuda);

    /// <summary>The VAE's precision on a CPU (<paramref name="cuda"/> false) or CUDA device, <see cref="TsdSrDtype.Auto"/> resolved.</summary>
    public TsdSrDtype ResolveVaeDtype(bool cuda) => Resolve(VaeDtype ?? Dtype, cuda);

    /// <summary>Copies every value into <paramref name="target"/> (the options-instance overload of AddTsdSr).</summary>
    internal void CopyTo(TsdSrOptions target)
    {
        target.ModelDirectory = ModelDirectory;
        target.LoraDirectory = LoraDirectory;
        target.EmbeddingsDirectory = EmbeddingsDirectory;
        target.Device = Device;
        target.Dtype = Dtype;
        target.TransformerDtype = TransformerDtype;
        target.VaeDtype = VaeDtype;
        target.MergeLora = MergeLora;
        target.VaeChannelsLast = VaeChannelsLast;
        target.VaeExplicitAttention = VaeExplicitAttention;
        target.LinearAsConvolution = LinearAsConvolution;
        target.defaults = defaults;
        target.MaxInputPixels = MaxInputPixels;
        target.MaxInputFileBytes = MaxInputFileBytes;
        target.OverwriteOutputs = OverwriteOutputs;
        target.JpegQuality = JpegQuality;
        target.Threads = Threads;
    }

    private static TsdSrDtype Resolve(TsdSrDtype dtype, bool cuda) =>
        dtype != TsdSrDtype.Auto ? dtype : cuda ? TsdSrDtype.Fp16 : TsdSrDtype.Fp32;
}
