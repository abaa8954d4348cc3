using TsdSr.Inference;
using TsdSr.Inference.Hosting;

namespace TsdSr.Cli.Commands;

/// <summary>
/// The parsed arguments of <c>tsdsr upscale</c>: where the weights and images are, how the models run, and the
/// per-image <see cref="UpscaleSettings"/> (the same record the library takes per call).
/// </summary>
internal sealed record UpscaleRequest(string Model, string Lora, string Embeddings, string Input, string Output, UpscaleSettings Settings)
{
    /// <summary><c>--device</c>: auto, cpu, cuda or cuda:N.</summary>
    public string Device { get; init; } = new TsdSrOptions().Device;

    /// <summary><c>--dtype</c>; <see cref="TsdSrDtype.Auto"/> when not given.</summary>
    public TsdSrDtype Dtype { get; init; } = TsdSrDtype.Auto;

    /// <summary><c>--overwrite</c>: replace existing output files.</summary>
    public bool Overwrite { get; init; }

    /// <summary><c>--jpeg-quality</c>: quality of .jpg/.jpeg outputs.</summary>
    public int JpegQuality { get; init; } = new TsdSrOptions().JpegQuality;

    /// <summary><c>--max-input-pixels</c>.</summary>
    public long MaxInputPixels { get; init; } = new TsdSrOptions().MaxInputPixels;

    /// <summary><c>--max-input-file-bytes</c>.</summary>
    public long MaxInputFileBytes { get; init; } = new TsdSrOptions().MaxInputFileBytes;

    /// <summary>The library options these arguments describe; the per-image settings become their defaults.</summary>
    public TsdSrOptions ToOptions() => new TsdSrOptions
    {
        ModelDirectory = Model,
        LoraDirectory = Lora,
        EmbeddingsDirectory = Embeddings,
        Device = Device,
        Dtype = Dtype,
        OverwriteOutputs = Overwrite,
        JpegQuality = JpegQuality,
        MaxInputPixels = MaxInputPixels,
        MaxInputFileBytes = MaxInputFileBytes,
    }.UseUpscaleSettings(Settings);
}
