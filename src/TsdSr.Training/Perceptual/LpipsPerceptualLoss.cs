using TorchSharp;
using TsdSr.Evaluation.Lpips;
using TsdSr.Losses.Reconstruction;
using static TorchSharp.torch;

namespace TsdSr.Training.Perceptual;

/// <summary>
/// LPIPS (TsdSr.Evaluation's network, the same one the metric uses) as the reconstruction loss's perceptual term. The
/// reference trains with AlexNet, v0.1 heads, inputs in [0,1]. The network is frozen: gradients reach the images only.
/// </summary>
public sealed class LpipsPerceptualLoss : IPerceptualLoss, IDisposable
{
    private readonly LpipsNetwork network;

    /// <summary>Wraps an LPIPS network (owned by this object from now on) and freezes it.</summary>
    public LpipsPerceptualLoss(LpipsNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        this.network = network;
        network.eval();
        foreach (var p in network.parameters())
        {
            p.requires_grad = false;
        }
    }

    /// <summary>Loads LPIPS with a user-supplied torchvision backbone file (see <see cref="LpipsNetwork.BackboneFile"/>).</summary>
    public static LpipsPerceptualLoss Create(LpipsBackbone backbone, string backbonePath, Device? device = null)
    {
        var net = LpipsNetwork.Create(backbone, backbonePath);
        if (device is not null)
        {
            net.to(device);
        }

        return new LpipsPerceptualLoss(net);
    }

    /// <inheritdoc />
    public Tensor Compute(Tensor x, Tensor y) => network.forward(x, y);

    /// <inheritdoc />
    public void Dispose() => network.Dispose();
}
