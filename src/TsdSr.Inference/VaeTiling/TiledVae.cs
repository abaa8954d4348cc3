using TorchSharp;
using TsdSr.Models.Autoencoders;

namespace TsdSr.Inference.VaeTiling;

/// <summary>
/// Tiled VAE encode and decode without seams (docs/inference.md, "VAE tiling"). The network runs layer by layer over the
/// whole feature map, but every convolution is evaluated tile by tile on a window with a halo wide enough that the
/// tile's core is exact, and every GroupNorm uses exact global statistics of the stored map (per-channel moments in
/// float64, accumulated as tiles are written). The mid-block attention is global and runs on the whole (8× downsampled)
/// map. The result equals the untiled VAE up to float summation order. Two full maps exist at a time (a resnet's input,
/// overwritten in place by its output, and its hidden map), three in a resnet that changes the channel count; maps larger than
/// <see cref="FeatureMapStorage.MaxInMemoryBytes"/> live in temporary files, so RAM holds one tile's temporaries plus
/// the maps below that limit, whatever the image size. With a CPU <c>storeDevice</c> under CUDA, GPU memory is bounded
/// by the tile size.
/// </summary>
public static class TiledVae
{
    /// <summary>
    /// Encodes images [1,3,H,W] in [−1,1] into the posterior moments [1,2·latent,H/8,W/8] (mean ‖ logvar, as
    /// <see cref="AutoencoderKL.Encode"/>'s distribution parameters). <paramref name="tileSize"/> is in input pixels;
    /// deeper levels use it divided by their downsampling factor. The caller owns the result.
    /// </summary>
    /// <param name="vae">The VAE (with its encoder LoRA, if any).</param>
    /// <param name="images">Images [1,3,H,W] on the VAE's device.</param>
    /// <param name="tileSize">Tile size in input pixels.</param>
    /// <param name="storeDevice">Where full feature maps wait between layers (e.g. the CPU under CUDA, so that GPU memory is bounded by the tile size); null: the VAE's device.</param>
    /// <param name="progress">Reports (layers done, layers).</param>
    /// <param name="cancellationToken">Checked between tiles.</param>
    /// <param name="storage">Which maps stay in memory and where larger ones are spilled; null: <see cref="FeatureMapStorage"/>'s defaults.</param>
    /// <exception cref="IOException">A map had to be spilled and the spill folder is missing, full or not writable.</exception>
    public static torch.Tensor EncodeMoments(AutoencoderKL vae, torch.Tensor images, int tileSize, torch.Device? storeDevice = null, Action<int, int>? progress = null,
        CancellationToken cancellationToken = default, FeatureMapStorage? storage = null)
    {
        ArgumentNullException.ThrowIfNull(vae);
        ArgumentNullException.ThrowIfNull(images);
        Check(images, vae.Config.InChannels, tileSize);
        using var runner = new TiledVaeRunner(vae, "encoder", tileSize, storeDevice, storage, progress, cancellationToken);
        return runner.Encode(images);
    }

    /// <summary>
    /// Decodes unscaled latents [1,latent,h,w] into images [1,3,8h,8w]. <paramref name="latentTileSize"/> is in latent
    /// pixels; higher levels use it times their upsampling factor. The caller owns the result.
    /// </summary>
    /// <param name="vae">The VAE.</param>
    /// <param name="latents">Unscaled latents [1,C,h,w] on the VAE's device.</param>
    /// <param name="latentTileSize">Tile size in latent pixels.</param>
    /// <param name="storeDevice">Where full feature maps wait between layers; null: the VAE's device.</param>
    /// <param name="progress">Reports (layers done, layers).</param>
    /// <param name="cancellationToken">Checked between tiles.</param>
    /// <param name="storage">Which maps stay in memory and where larger ones are spilled; null: <see cref="FeatureMapStorage"/>'s defaults.</param>
    /// <exception cref="IOException">A map had to be spilled and the spill folder is missing, full or not writable.</exception>
    public static torch.Tensor Decode(AutoencoderKL vae, torch.Tensor latents, int latentTileSize, torch.Device? storeDevice = null, Action<int, int>? progress = null,
        CancellationToken cancellationToken = default, FeatureMapStorage? storage = null)
    {
        ArgumentNullException.ThrowIfNull(vae);
        ArgumentNullException.ThrowIfNull(latents);
        Check(latents, vae.Config.LatentChannels, latentTileSize);
        using var runner = new TiledVaeRunner(vae, "decoder", latentTileSize, storeDevice, storage, progress, cancellationToken);
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
