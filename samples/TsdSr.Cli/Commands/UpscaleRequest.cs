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
    };
}
