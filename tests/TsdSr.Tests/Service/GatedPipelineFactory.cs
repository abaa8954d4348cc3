using TsdSr.Imaging;
using TsdSr.Inference;
using TsdSr.Inference.Hosting;

namespace TsdSr.Tests.Service;

/// <summary>
/// Wraps the real pipeline factory with two gates, both open by default: the load gate holds model loading, the
/// upscale gate holds each upscale after it has entered the pipeline (and is released by cancellation). Tests close
/// a gate to keep the service busy or loading for as long as they need, instead of hoping an upscale is slow enough.
/// </summary>
internal sealed class GatedPipelineFactory(ITsdSrPipelineFactory inner) : ITsdSrPipelineFactory
{
    private readonly ManualResetEventSlim loadGate = new(initialState: true);
    private readonly ManualResetEventSlim upscaleGate = new(initialState: true);
    private int entered;
    private int cancelled;

    /// <summary>Upscales that entered the pipeline.</summary>
    public int Entered => Volatile.Read(ref entered);

    /// <summary>Upscales cancelled while held at the gate.</summary>
    public int Cancelled => Volatile.Read(ref cancelled);

    public void CloseLoadGate() => loadGate.Reset();

    public void OpenLoadGate() => loadGate.Set();

    public void CloseUpscaleGate() => upscaleGate.Reset();

    public void OpenUpscaleGate() => upscaleGate.Set();

    public ITsdSrPipeline Create(TsdSrOptions options, IProgress<TsdSrProgress>? progress, CancellationToken cancellationToken)
    {
        loadGate.Wait(cancellationToken);
        return new GatedPipeline(inner.Create(options, progress, cancellationToken), this);
    }

    private sealed class GatedPipeline(ITsdSrPipeline pipeline, GatedPipelineFactory owner) : ITsdSrPipeline
    {
        public string Device => pipeline.Device;

        public RgbImage Upscale(RgbImage input, UpscaleSettings settings, IProgress<TsdSrProgress>? progress = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref owner.entered);
            try
            {
                owner.upscaleGate.Wait(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref owner.cancelled);
                throw;
            }

            return pipeline.Upscale(input, settings, progress, cancellationToken);
        }

        public void Dispose() => pipeline.Dispose();
    }
}
