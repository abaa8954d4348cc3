using TsdSr.Models.Autoencoders.Tiling;
using static TorchSharp.torch;

namespace TsdSr.Models.Autoencoders;

/// <summary>
/// Tiled encode and decode without seams (diffusers' <c>tiled_encode</c> / <c>tiled_decode</c>, but exact; docs/inference.md,
/// "VAE tiling"). The network runs layer by layer over the whole feature map, but every convolution is evaluated tile by
/// tile on a window with a halo wide enough that the tile's core is exact, and every GroupNorm uses exact global
/// statistics of the stored map (per-channel moments in float64, accumulated as tiles are written). The mid-block
/// attention is global and runs on the whole (8× downsampled) map. The result equals the untiled VAE up to float
/// summation order. Two full maps exist at a time (a resnet's input, overwritten in place by its output, and its hidden
/// map), three in a resnet that changes the channel count; maps larger than <see cref="FeatureMapStorage.MaxInMemoryBytes"/>
/// live in temporary files, so RAM holds one tile's temporaries plus the maps below that limit, whatever the image size.
/// With a CPU <c>storeDevice</c> under CUDA, GPU memory is bounded by the tile size.
/// </summary>
public sealed partial class AutoencoderKL
{
    /// <summary>
    /// Encodes images [1,3,H,W] in [−1,1] into the posterior moments [1,2·latent,H/8,W/8] (mean ‖ logvar, as
    /// <see cref="Encode"/>'s distribution parameters), tile by tile. <paramref name="tileSize"/> is in input pixels;
    /// deeper levels use it divided by their downsampling factor. The caller owns the result.
    /// </summary>
    /// <param name="images">Images [1,3,H,W] on the VAE's device.</param>
    /// <param name="tileSize">Tile size in input pixels.</param>
    /// <param name="storeDevice">Where full feature maps wait between layers (e.g. the CPU under CUDA, so that GPU memory is bounded by the tile size); null: the VAE's device.</param>
    /// <param name="progress">Reports (layers done, layers).</param>
    /// <param name="cancellationToken">Checked between tiles.</param>
    /// <param name="storage">Which maps stay in memory and where larger ones are spilled; null: <see cref="FeatureMapStorage"/>'s defaults.</param>
    /// <exception cref="IOException">A map had to be spilled and the spill folder is missing, full or not writable.</exception>
    public Tensor TiledEncodeMoments(Tensor images, int tileSize, Device? storeDevice = null, Action<int, int>? progress = null,
        CancellationToken cancellationToken = default, FeatureMapStorage? storage = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        CheckTiledInput(images, Config.InChannels, tileSize);
        using var runner = new TiledVaeRunner(this, encoding: true, tileSize, storeDevice, storage, progress, cancellationToken);
        return runner.Encode(images);
    }

    /// <summary>
    /// Decodes unscaled latents [1,latent,h,w] into images [1,3,8h,8w], tile by tile. <paramref name="latentTileSize"/>
    /// is in latent pixels; higher levels use it times their upsampling factor. The caller owns the result.
    /// </summary>
    /// <param name="latents">Unscaled latents [1,C,h,w] on the VAE's device.</param>
    /// <param name="latentTileSize">Tile size in latent pixels.</param>
    /// <param name="storeDevice">Where full feature maps wait between layers; null: the VAE's device.</param>
    /// <param name="progress">Reports (layers done, layers).</param>
    /// <param name="cancellationToken">Checked between tiles.</param>
    /// <param name="storage">Which maps stay in memory and where larger ones are spilled; null: <see cref="FeatureMapStorage"/>'s defaults.</param>
    /// <exception cref="IOException">A map had to be spilled and the spill folder is missing, full or not writable.</exception>
    public Tensor TiledDecode(Tensor latents, int latentTileSize, Device? storeDevice = null, Action<int, int>? progress = null,
        CancellationToken cancellationToken = default, FeatureMapStorage? storage = null)
    {
        ArgumentNullException.ThrowIfNull(latents);
        CheckTiledInput(latents, Config.LatentChannels, latentTileSize);
        using var runner = new TiledVaeRunner(this, encoding: false, latentTileSize, storeDevice, storage, progress, cancellationToken);
        return runner.Decode(latents);
    }

    private static void CheckTiledInput(Tensor x, int channels, int tileSize)
    {
        if (x.dim() != 4 || x.shape[0] != 1 || x.shape[1] != channels)
        {
            throw new ArgumentException($"Expected a [1, {channels}, H, W] tensor, got [{string.Join(", ", x.shape)}].", nameof(x));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(tileSize, 2);
    }
}
