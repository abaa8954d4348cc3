using System.Runtime.CompilerServices;
using TsdSr.Imaging;
using TsdSr.Inference;
using TsdSr.Inference.Hosting;

namespace TsdSr.Tests.Inference.Hosting;

/// <summary>What a host's own test would register in place of the real upscaler: answers without any model.</summary>
internal sealed class StubTsdSrUpscaler : ITsdSrUpscaler
{
    public TsdSrOptions Options { get; } = new();

    public bool IsLoaded => true;

    public string? Device => "stub";

    public int Calls { get; private set; }

    public Task LoadAsync(IProgress<TsdSrProgress>? progress = null, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<RgbImage> UpscaleAsync(RgbImage image, UpscaleSettings? settings = null, IProgress<TsdSrProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        return Task.FromResult(image);
    }

    public Task<UpscaleResult> UpscaleAsync(string inputPath, string outputPath, UpscaleSettings? settings = null, IProgress<TsdSrProgress>? progress = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<UpscaleResult> UpscaleAsync(Stream input, Stream pngOutput, UpscaleSettings? settings = null, IProgress<TsdSrProgress>? progress = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public async IAsyncEnumerable<UpscaleResult> UpscaleFolderAsync(string inputFolder, string outputFolder, UpscaleSettings? settings = null, IProgress<TsdSrProgress>? progress = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        yield break;
    }

    public UpscaleBatch PlanFile(string inputPath, string outputPath, UpscaleSettings? settings = null) => throw new NotSupportedException();

    public UpscaleBatch PlanFolder(string inputFolder, string outputFolder, UpscaleSettings? settings = null) => throw new NotSupportedException();

    public async IAsyncEnumerable<UpscaleResult> RunAsync(UpscaleBatch batch, IProgress<TsdSrProgress>? progress = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        yield break;
    }
}
