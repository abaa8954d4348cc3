using System.ComponentModel.DataAnnotations;
using TsdSr.Imaging;
using TsdSr.Inference.ColorFix;
using TsdSr.Inference.VaeTiling;

namespace TsdSr.Inference.Hosting;

/// <summary>
/// Configuration of <see cref="TsdSrUpscaler"/>: where the weights are, the device and precision, and the default
/// per-image settings. Bound from the <c>TsdSr</c> configuration section by <c>services.AddTsdSr(configuration)</c>;
/// DataAnnotations check single values and <see cref="TsdSrOptionsValidator"/> the cross-field rules.
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

    /// <summary>Default output / input ratio, 1–16. Default 4 (the released weights are trained for ×4 only).</summary>
    [Range(1, 16)]
    public int Scale { get; set; } = 4;

    /// <summary>Inputs whose short side is below ProcessSize / Scale are enlarged first; 0–8192. Default 512.</summary>
    [Range(0, 8192)]
    public int ProcessSize { get; set; } = 512;

    /// <summary>Default colour fix. Default <see cref="ColorFixMode.Wavelet"/>.</summary>
    public ColorFixMode ColorFix { get; set; } = ColorFixMode.Wavelet;

    /// <summary>
    /// Transformer tile size in latent pixels, 8–1024. Default null: 512 pixels' worth (64 latent pixels for SD3, the
    /// reference's value).
    /// </summary>
    [Range(8, 1024)]
    public int? LatentTileSize { get; set; }

    /// <summary>
    /// Transformer tile overlap in latent pixels, 0 to LatentTileSize − 1. Default null: 64 pixels' worth (8 latent pixels
    /// for SD3, the reference's value).
    /// </summary>
    [Range(0, 1023)]
    public int? LatentTileOverlap { get; set; }

    /// <summary>Transformer tiles per forward pass, 1–64. Default 1.</summary>
    [Range(1, 64)]
    public int LatentTileBatchSize { get; set; } = 1;

    /// <summary>VAE tiling. Default <see cref="VaeTilingMode.Auto"/> (bounded memory at any size).</summary>
    public VaeTilingMode VaeTiling { get; set; } = VaeTilingMode.Auto;

    /// <summary>VAE encoder tile size in pixels, 64–8192. Default 1024 (the reference's).</summary>
    [Range(64, 8192)]
    public int VaeEncoderTileSize { get; set; } = 1024;

    /// <summary>
    /// VAE decoder tile size in latent pixels, 8–1024. Default 64: the tiled VAE is exact at any tile size, and 64 needs
    /// a fifth of the RAM of the reference's 224 at the same speed (docs/performance.md).
    /// </summary>
    [Range(8, 1024)]
    public int VaeDecoderTileSize { get; set; } = 64;

    /// <summary>
    /// Largest tiled-VAE feature map kept in RAM, in bytes (0 or more); larger maps go to temporary files so memory stays
    /// bounded at any image size. Default 268,435,456 (256 MiB).
    /// </summary>
    [Range(0L, long.MaxValue)]
    public long VaeMaxInMemoryMapBytes { get; set; } = FeatureMapStorage.DefaultMaxInMemoryBytes;

    /// <summary>An existing folder for spilled VAE feature maps; null (default) is the system's temporary folder.</summary>
    public string? VaeSpillDirectory { get; set; }

    /// <summary>Null (default): the deterministic posterior mean. A value: a posterior sample seeded with it.</summary>
    public long? Seed { get; set; }

    /// <summary>
    /// Largest accepted input width × height, checked from the header before decoding (decompression-bomb limit).
    /// At least 1. Default 16,777,216 (4096 × 4096; the ×4 output is then 268 megapixels).
    /// </summary>
    [Range(1L, long.MaxValue)]
    public long MaxInputPixels { get; set; } = 4096L * 4096;

    /// <summary>Largest accepted input file size in bytes. At least 1. Default 512 MiB.</summary>
    [Range(1L, long.MaxValue)]
    public long MaxInputFileBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>
    /// Largest width × height the model may work at, after the size rule (×scale; small inputs enlarged first). At least
    /// 1. Default 268,435,456 (16384²: the work size of a 4096² input at ×4). See <see cref="UpscaleSettings.MaxProcessPixels"/>.
    /// </summary>
    [Range(1L, long.MaxValue)]
    public long MaxProcessPixels { get; set; } = UpscaleSettings.DefaultMaxProcessPixels;

    /// <summary>Largest long side / short side of the work size, 1–65536. Default 32.</summary>
    [Range(1.0, 65536.0)]
    public double MaxAspectRatio { get; set; } = UpscaleSettings.DefaultMaxAspectRatio;

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

    /// <summary>The default per-image settings these options describe.</summary>
    public UpscaleSettings ToUpscaleSettings() => new()
    {
        Scale = Scale,
        ProcessSize = ProcessSize,
        ColorFix = ColorFix,
        LatentTileSize = LatentTileSize,
        LatentTileOverlap = LatentTileOverlap,
        LatentTileBatchSize = LatentTileBatchSize,
        VaeTiling = VaeTiling,
        VaeEncoderTileSize = VaeEncoderTileSize,
        VaeDecoderTileSize = VaeDecoderTileSize,
        VaeMaxInMemoryMapBytes = VaeMaxInMemoryMapBytes,
        VaeSpillDirectory = VaeSpillDirectory,
        Seed = Seed,
        MaxProcessPixels = MaxProcessPixels,
        MaxAspectRatio = MaxAspectRatio,
    };

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
        target.Scale = Scale;
        target.ProcessSize = ProcessSize;
        target.ColorFix = ColorFix;
        target.LatentTileSize = LatentTileSize;
        target.LatentTileOverlap = LatentTileOverlap;
        target.LatentTileBatchSize = LatentTileBatchSize;
        target.VaeTiling = VaeTiling;
        target.VaeEncoderTileSize = VaeEncoderTileSize;
        target.VaeDecoderTileSize = VaeDecoderTileSize;
        target.VaeMaxInMemoryMapBytes = VaeMaxInMemoryMapBytes;
        target.VaeSpillDirectory = VaeSpillDirectory;
        target.Seed = Seed;
        target.MaxInputPixels = MaxInputPixels;
        target.MaxInputFileBytes = MaxInputFileBytes;
        target.MaxProcessPixels = MaxProcessPixels;
        target.MaxAspectRatio = MaxAspectRatio;
        target.OverwriteOutputs = OverwriteOutputs;
        target.JpegQuality = JpegQuality;
        target.Threads = Threads;
    }

    private static TsdSrDtype Resolve(TsdSrDtype dtype, bool cuda) =>
        dtype != TsdSrDtype.Auto ? dtype : cuda ? TsdSrDtype.Fp16 : TsdSrDtype.Fp32;
}
