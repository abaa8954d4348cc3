using TsdSr.Inference;
using TsdSr.Inference.ColorFix;
using TsdSr.Inference.Hosting;

namespace TsdSr.Cli.Commands;

/// <summary>The parsed arguments of <c>tsdsr upscale</c>.</summary>
internal sealed record UpscaleRequest(
    string Model,
    string Lora,
    string Embeddings,
    string Input,
    string Output,
    int Scale,
    string ColorFix,
    int? LatentTileSize,
    int? LatentTileOverlap,
    string VaeTiling,
    string Device,
    string? Dtype,
    long? Seed)
{
    /// <summary><c>--overwrite</c>: replace existing output files.</summary>
    public bool Overwrite { get; init; }

    /// <summary><c>--jpeg-quality</c>: quality of .jpg/.jpeg outputs.</summary>
    public int JpegQuality { get; init; } = 95;

    /// <summary><c>--max-input-pixels</c>.</summary>
    public long MaxInputPixels { get; init; } = new TsdSrOptions().MaxInputPixels;

    /// <summary><c>--max-input-file-bytes</c>.</summary>
    public long MaxInputFileBytes { get; init; } = new TsdSrOptions().MaxInputFileBytes;

    /// <summary><c>--max-process-pixels</c>.</summary>
    public long MaxProcessPixels { get; init; } = UpscaleSettings.DefaultMaxProcessPixels;

    /// <summary><c>--max-aspect-ratio</c>.</summary>
    public double MaxAspectRatio { get; init; } = UpscaleSettings.DefaultMaxAspectRatio;

    /// <summary>The library options these arguments describe.</summary>
    public TsdSrOptions ToOptions() => new()
    {
        ModelDirectory = Model,
        LoraDirectory = Lora,
        EmbeddingsDirectory = Embeddings,
        Device = Device,
        Dtype = Dtype switch
        {
            "fp32" => TsdSrDtype.Fp32,
            "bf16" => TsdSrDtype.Bf16,
            "fp16" => TsdSrDtype.Fp16,
            _ => TsdSrDtype.Auto,
        },
        Scale = Scale,
        ColorFix = ColorFix switch
        {
            "adain" => ColorFixMode.AdaIn,
            "none" => ColorFixMode.None,
            _ => ColorFixMode.Wavelet,
        },
        LatentTileSize = LatentTileSize,
        LatentTileOverlap = LatentTileOverlap,
        VaeTiling = VaeTiling switch
        {
            "on" => TsdSr.Inference.VaeTilingMode.On,
            "off" => TsdSr.Inference.VaeTilingMode.Off,
            _ => TsdSr.Inference.VaeTilingMode.Auto,
        },
        Seed = Seed,
        OverwriteOutputs = Overwrite,
        JpegQuality = JpegQuality,
        MaxInputPixels = MaxInputPixels,
        MaxInputFileBytes = MaxInputFileBytes,
        MaxProcessPixels = MaxProcessPixels,
        MaxAspectRatio = MaxAspectRatio,
    };
}
