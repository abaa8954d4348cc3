using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TsdSr.Models.Autoencoders;

/// <summary>GroupNorm layers of the VAE, initialised as PyTorch does.</summary>
internal static class VaeGroupNorm
{
    /// <summary>
    /// TorchSharp 0.107's <c>nn.GroupNorm</c> leaves weight and bias uninitialised (NaN or garbage), which breaks
    /// randomly initialised models and, through denormals, makes the following convolutions ~100× slower. PyTorch
    /// initialises weight = 1, bias = 0; so do we. Loaded checkpoints overwrite both.
    /// </summary>
    public static GroupNorm Create(long groups, long channels)
    {
        var norm = nn.GroupNorm(groups, channels, ResnetBlock2D.Eps, device: ModelConstruction.Device, dtype: ModelConstruction.DType);
        if (ModelConstruction.SkipInitialisation)
        {
            return norm;
        }

        using (no_grad())
        {
            norm.weight!.fill_(1);
            norm.bias!.zero_();
        }

        return norm;
    }
}
