using TorchSharp;
using TsdSr.Models.Autoencoders;

namespace TsdSr.Inference.VaeTiling;

/// <summary>
/// Tiled VAE encode and decode without seams (docs/inference.md, "VAE tiling"). The network runs layer by layer over the
/// whole feature map, but every convolution is evaluated tile by tile on a window with a halo wide enough that the
/// tile's core is exact, and every GroupNorm uses exact global statistics (float64, two passes) of the stored map. The
/// mid-block attention is global and runs on the whole (8× downsampled) map. The result equals the untiled VAE up to
/// float summation order. Peak memory: the stored maps of one resnet (input, hidden, output) plus one tile's
/// temporaries, instead of the untiled network's full-size temporaries.
/// </summary>
public static class TiledVae
{
    /// <summary>
    /// Encodes images [1,3,H,W] in [−1,1] into the posterior moments [1,2·latent,H/8,W/8] (mean ‖ logvar, as
    /// <see cref="AutoencoderKL.Encode"/>'s distribution parameters). <paramref name="tileSize"/> is in input pixels;
    /// deeper levels use it divided by their downsampling factor. The caller owns the result.
    /// </summary>
    public static torch.Tensor EncodeMoments(AutoencoderKL vae, torch.Tensor images, int tileSize, Action<int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vae);
        ArgumentNullException.ThrowIfNull(images);
        Check(images, vae.Config.InChannels, tileSize);
        var runner = new TiledVaeRunner(vae, "encoder", tileSize, progress, cancellationToken);
        return runner.Encode(images);
    }

    /// <summary>
    /// Decodes unscaled latents [1,latent,h,w] into images [1,3,8h,8w]. <paramref name="latentTileSize"/> is in latent
    /// pixels; higher levels use it times their upsampling factor. The caller owns the result.
    /// </summary>
    public static torch.Tensor Decode(AutoencoderKL vae, torch.Tensor latents, int latentTileSize, Action<int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vae);
        ArgumentNullException.ThrowIfNull(latents);
        Check(latents, vae.Config.LatentChannels, latentTileSize);
        var runner = new TiledVaeRunner(vae, "decoder", latentTileSize, progress, cancellationToken);
        return runner.Decode(latents);
    }

    private static void Check(torch.Tensor x, int channels, int tileSize)
    {
        if (x.dim() != 4 || x.shape[0] != 1 || x.shape[1] != channels)
        {
            throw new ArgumentException($"Expected a [1, {channels}, H, W] tensor, got [{string.Join(", ", x.shape)}].", nameof(x));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(tileSize, 2);
    }
}
