using TsdSr.Inference;
using TsdSr.Inference.Hosting;

namespace TsdSr.Tests.Inference.Hosting;

/// <summary>Hands out one <see cref="FakeTsdSrPipeline"/> and counts loads; can be told to fail.</summary>
internal sealed class FakeTsdSrPipelineFactory : ITsdSrPipelineFactory
{
    public FakeTsdSrPipeline Pipeline { get; } = new();

    public int Creates;

    public Exception? Failure { get; set; }

    public ITsdSrPipeline Create(TsdSrOptions options, IProgress<TsdSrProgress>? progress, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Creates);
        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(new TsdSrProgress(TsdSrStage.Loading, 1, 1, TimeSpan.Zero));
        return Failure is null ? Pipeline : throw Failure;
    }
}
