using Microsoft.Extensions.Logging;
using TorchSharp;
using TsdSr.Core.Devices;
using TsdSr.Inference.Pipeline;

namespace TsdSr.Inference.Hosting;

/// <summary>
/// The default <see cref="ITsdSrPipelineFactory"/>: resolves the device, turns <see cref="TsdSrDtype.Auto"/> into fp32
/// on CPU / fp16 on CUDA, applies <see cref="TsdSrOptions.Threads"/>, and loads <see cref="TsdSrPipeline"/>.
/// </summary>
/// <param name="loggerFactory">Gives the pipeline its logger; null logs nothing.</param>
public sealed class TsdSrPipelineFactory(ILoggerFactory? loggerFactory = null) : ITsdSrPipelineFactory
{
    /// <inheritdoc />
    /// <exception cref="ArgumentException">Unknown device name or CUDA index out of range.</exception>
    /// <exception cref="TorchBackendException">CUDA was asked for but cannot be used (with the native load trace).</exception>
    public ITsdSrPipeline Create(TsdSrOptions options, IProgress<TsdSrProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        cancellationToken.ThrowIfCancellationRequested();
        if (options.Threads > 0)
        {
            torch.set_num_threads(options.Threads);
        }

        var device = DeviceSelector.Resolve(options.Device);
        bool cuda = device.type == DeviceType.CUDA;
        var pipelineOptions = new TsdSrPipelineOptions
        {
            Device = cuda ? $"cuda:{Math.Max(0, device.index)}" : "cpu",
            TransformerDtype = ToScalarType(options.ResolveTransformerDtype(cuda)),
            VaeDtype = ToScalarType(options.ResolveVaeDtype(cuda)),
            MergeLora = options.MergeLora,
            VaeChannelsLast = options.VaeChannelsLast,
            VaeExplicitAttention = options.VaeExplicitAttention,
            LinearAsConvolution = options.LinearAsConvolution,
            Logger = loggerFactory?.CreateLogger<TsdSrPipeline>(),
        };
        return TsdSrPipeline.Load(options.ToModelPaths(), pipelineOptions, progress, cancellationToken);
    }

    /// <summary>The torch dtype of a resolved <see cref="TsdSrDtype"/> (its member names are the short dtype names).</summary>
    internal static torch.ScalarType ToScalarType(TsdSrDtype dtype) =>
        dtype == TsdSrDtype.Auto ? torch.ScalarType.Float32 : DtypeNames.Parse(dtype.ToString());
}
