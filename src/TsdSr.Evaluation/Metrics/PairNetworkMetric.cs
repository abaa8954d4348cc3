using TorchSharp;
using TsdSr.Evaluation.Color;
using TsdSr.Imaging;
using static TorchSharp.torch;

namespace TsdSr.Evaluation.Metrics;

/// <summary>
/// A full-reference metric computed by a network on one image pair (LPIPS, DISTS): no gradients, float32 images in
/// [0, 1] on the metric's device, lower is better. The metric owns and disposes the network.
/// </summary>
/// <typeparam name="TNetwork">The network: (image, reference) → a one-element distance.</typeparam>
public abstract class PairNetworkMetric<TNetwork> : IFullReferenceMetric
    where TNetwork : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Device device;

    /// <summary>Wraps a loaded network and moves it to <paramref name="device"/> (default CPU).</summary>
    protected PairNetworkMetric(TNetwork network, Device? device)
    {
        ArgumentNullException.ThrowIfNull(network);
        this.device = device ?? CPU;
        Network = network;
        Network.to(this.device);
    }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public bool LowerIsBetter => true;

    /// <inheritdoc />
    public MetricKind Kind => MetricKind.FullReference;

    /// <summary>The wrapped network.</summary>
    protected TNetwork Network { get; }

    /// <inheritdoc />
    public double Compute(RgbImage image, RgbImage reference)
    {
        ImageCrop.RequireSameSize(image, reference);

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var a = ImageTensors.ToTensor(image, device);
        var b = ImageTensors.ToTensor(reference, device);
        return Network.forward(a, b).cpu().item<float>();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Network.Dispose();
        GC.SuppressFinalize(this);
    }
}
