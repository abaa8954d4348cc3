using TorchSharp;
using TsdSr.Evaluation.Metrics;
using TsdSr.Evaluation.Statistics;
using TsdSr.Imaging;
using static TorchSharp.torch;

namespace TsdSr.Evaluation.Fid;

/// <summary>
/// FID between two image folders as pyiqa's <c>fid(dir1, dir2)</c> (clean mode): clean-fid resize to 299²,
/// FID-Inception pool3 features in float32, Gaussian fit (N − 1) and the Fréchet distance in float64.
/// </summary>
public sealed class FidMetric : IDistributionMetric
{
    private const int BatchSize = 8;
    private readonly FidInception network;
    private readonly Device device;

    /// <summary>Wraps a loaded network; the metric owns and disposes it.</summary>
    public FidMetric(FidInception network, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        this.device = device ?? CPU;
        this.network = network;
        this.network.to(this.device);
    }

    /// <inheritdoc />
    public string Name => "fid";

    /// <inheritdoc />
    public bool LowerIsBetter => true;

    /// <inheritdoc />
    public MetricKind Kind => MetricKind.Distribution;

    /// <inheritdoc />
    public double Compute(IReadOnlyList<string> imagePaths, IReadOnlyList<string> referencePaths, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(imagePaths);
        ArgumentNullException.ThrowIfNull(referencePaths);
        using var scope = NewDisposeScope();
        var a = Features(imagePaths, cancellationToken);
        var b = Features(referencePaths, cancellationToken);
        return FrechetDistance.FromFeatures(a, b);
    }

    /// <summary>Pool3 features [N, 2048] (float32, CPU) of images, in order.</summary>
    public Tensor Features(IReadOnlyList<string> paths, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count < 2)
        {
            throw new ArgumentException($"FID needs at least 2 images per set; got {paths.Count}.", nameof(paths));
        }

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var chunks = new List<Tensor>();
        for (int start = 0; start < paths.Count; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(BatchSize, paths.Count - start);
            var data = new float[n * 3 * 299 * 299];
            Parallel.For(0, n, i => CleanResize.Prepare(ImageCodec.Load(paths[start + i])).CopyTo(data, i * 3 * 299 * 299));
            var batch = tensor(data, [n, 3, 299, 299]).to(device);
            chunks.Add(network.forward(batch).cpu());
        }

        return cat(chunks, 0).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose() => network.Dispose();
}
