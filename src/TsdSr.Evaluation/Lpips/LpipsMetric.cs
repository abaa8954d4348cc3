using TsdSr.Evaluation.Metrics;
using static TorchSharp.torch;

namespace TsdSr.Evaluation.Lpips;

/// <summary>LPIPS as a registry metric: one image pair at a time, no gradients, float32 (pyiqa <c>lpips</c>).</summary>
public sealed class LpipsMetric : PairNetworkMetric<LpipsNetwork>
{
    /// <summary>Wraps a loaded network; the metric owns and disposes it.</summary>
    /// <param name="network">The LPIPS network.</param>
    /// <param name="device">Where it runs (default CPU).</param>
    /// <param name="name">Registry name; default <c>lpips</c> (AlexNet) or <c>lpips-vgg</c>.</param>
    public LpipsMetric(LpipsNetwork network, Device? device = null, string? name = null)
        : base(network, device)
    {
        Name = name ?? (network.Backbone == LpipsBackbone.Alex ? "lpips" : "lpips-vgg");
    }

    /// <inheritdoc />
    public override string Name { get; }
}
