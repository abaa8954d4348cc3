using TorchSharp;
using static TorchSharp.torch;

namespace TsdSr.Models.Autoencoders;

/// <summary>
/// Frees each activation of a chain of layers as soon as the next one exists, as PyTorch's reference counting does. A
/// dispose scope around a whole block keeps every intermediate alive until the block returns: at SD3 size and 512²
/// that cost 3.0 (encode) and 5.8 (decode) full-resolution activations of 128 MiB each (docs/performance.md).
/// </summary>
internal static class ActivationChain
{
    /// <summary>
    /// Returns <paramref name="next"/> after disposing <paramref name="previous"/>, unless <paramref name="previous"/> is
    /// the chain's <paramref name="input"/> (the caller's tensor) or <paramref name="next"/> itself.
    /// </summary>
    public static Tensor Advance(Tensor previous, Tensor next, Tensor input)
    {
        if (!ReferenceEquals(previous, input) && !ReferenceEquals(previous, next))
        {
            previous.Dispose();
        }

        return next;
    }

    /// <summary>
    /// <c>conv(act(norm(x)))</c>, the VAE's pre-activation pattern, freeing the normalised tensor before the convolution
    /// runs: the convolution then holds only its input and its output, as in PyTorch. <paramref name="x"/> stays the
    /// caller's.
    /// </summary>
    public static Tensor NormActConv(nn.Module<Tensor, Tensor> norm, string actFn, nn.Module<Tensor, Tensor> conv, Tensor x)
    {
        Tensor activated;
        using (var normed = norm.call(x))
        {
            activated = VaeActivation.Apply(normed, actFn);
        }

        using (activated)
        {
            return conv.call(activated);
        }
    }
}
