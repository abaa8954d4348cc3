using TsdSr.Evaluation.Color;
using TorchSharp;
using TsdSr.Evaluation.Metrics;
using TsdSr.Imaging;
using static TorchSharp.torch;

namespace TsdSr.Evaluation.Lpips;

/// <summary>LPIPS as a registry metric: one image pair at a time, no gradients, float32 (pyiqa <c>lpips</c>).</summary>
public sealed class LpipsMetric : IFullReferenceMetric
{
    private readonly LpipsNetwork network;
    private readonly Device device;

    /// <summary>Wraps a loaded network; the metric owns and disposes it.</summary>
    public LpipsMetric(LpipsNetwork network, Device? device = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        this.device = device ?? CPU;
        this.network = network;
        this.network.to(this.device);
        Name = name ?? (network.Backbone == LpipsBackbone.Alex ? "lpips" : "lpips-vgg");
    }

    /// <inheritdoc />
    public string Name { get; }

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
