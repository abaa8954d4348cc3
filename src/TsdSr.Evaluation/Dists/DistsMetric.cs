using TsdSr.Evaluation.Metrics;
using static TorchSharp.torch;

namespace TsdSr.Evaluation.Dists;

/// <summary>DISTS as a registry metric: one pair at a time, no gradients, float32 (pyiqa <c>dists</c>).</summary>
public sealed class DistsMetric : PairNetworkMetric<DistsNetwork>
{
    /// <summary>Wraps a loaded network; the metric owns and disposes it.</summary>
    /// <param name="network">The DISTS network.</param>
    /// <param name="device">Where it runs (default CPU).</param>
    public DistsMetric(DistsNetwork network, Device? device = null)
        : base(network, device)
    {
    }

    /// <inheritdoc />
    public override string Name => "dists";
}
