using Microsoft.Extensions.Logging;

namespace TsdSr.Inference.Hosting;

/// <summary>Source-generated log messages of <see cref="TsdSrUpscaler"/>.</summary>
internal static partial class TsdSrUpscalerLog
{
    [LoggerMessage(1, LogLevel.Information, "Loading TSD-SR: model {ModelDirectory}, LoRA {LoraDirectory}, device {Device}, dtype transformer {TransformerDtype} / VAE {VaeDtype}, merge LoRA {MergeLora}")]
    public static partial void Loading(ILogger logger, string modelDirectory, string loraDirectory, string device, string transformerDtype, string vaeDtype, bool mergeLora);

    [LoggerMessage(2, LogLevel.Information, "TSD-SR loaded on {Device} (transformer {TransformerDtype}, VAE {VaeDtype}) in {ElapsedMs} ms")]
    public static partial void Loaded(ILogger logger, string device, string transformerDtype, string vaeDtype, long elapsedMs);

    [LoggerMessage(3, LogLevel.Information, "Upscaled {Name}: {InputWidth}x{InputHeight} -> {OutputWidth}x{OutputHeight} in {ElapsedMs} ms")]
    public static partial void Upscaled(ILogger logger, string name, int inputWidth, int inputHeight, int outputWidth, int outputHeight, long elapsedMs);

    [LoggerMessage(4, LogLevel.Debug, "{Name}: {Stage} {Current}/{Total}")]
    public static partial void StageProgress(ILogger logger, string name, TsdSrStage stage, int current, int total);

    [LoggerMessage(5, LogLevel.Warning, "Could not upscale {Name}")]
    public static partial void ImageFailed(ILogger logger, Exception exception, string name);

    [LoggerMessage(6, LogLevel.Warning, "Scale {Scale}: the released TSD-SR weights are trained for x4 only; other scales need weights trained for them")]
    public static partial void UntrainedScale(ILogger logger, int scale);

    [LoggerMessage(7, LogLevel.Information, "TSD-SR models released")]
    public static partial void Released(ILogger logger);
}
