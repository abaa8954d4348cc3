using TsdSr.Evaluation.Color;
using TorchSharp;
using TsdSr.Evaluation.Metrics;
using TsdSr.Imaging;
using static TorchSharp.torch;

namespace TsdSr.Evaluation.Dists;

/// <summary>DISTS as a registry metric: one pair at a time, no gradients, float32 (pyiqa <c>dists</c>).</summary>
public sealed class DistsMetric : IFullReferenceMetric
{
    private readonly DistsNetwork network;
    private readonly Device device;

    /// <summary>Wraps a loaded network; the metric owns and disposes it.</summary>
    public DistsMetric(DistsNetwork network, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        this.device = device ?? CPU;
        this.network = network;
        this.network.to(this.device);
    }

    /// <inheritdoc />
    public string Name => "dists";

    /// <inheritdoc />
    public bool LowerIsBetter => true;

    /// <inheritdoc />
    public MetricKind Kind => MetricKind.FullReference;

    /// <inheritdoc />
    public double Compute(RgbImage image, RgbImage reference)
    {
        ImageCrop.RequireSameSize(image, reference);

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var a = ImageTensors.ToTensor(image, device);
        var b = ImageTensors.ToTensor(reference, device);
        return network.forward(a, b).cpu().item<float>();
    }

    /// <inheritdoc />
    public void Dispose() => network.Dispose();
}
