using TorchSharp;

namespace TsdSr.Inference.Tiling;

/// <summary>
/// Runs a latent-to-velocity function over a <see cref="LatentTilePlan"/> and blends the tiles with
/// <see cref="GaussianTileWeights"/>, reproducing the reference's arithmetic: float32 accumulators to which the float64
/// product <c>v·W</c> (and <c>W</c>) is added in float64 and stored back as float32; finally <c>acc / cnt</c>.
/// </summary>
public static class LatentTileBlender
{
    /// <summary>
    /// Computes the velocity for <paramref name="latent"/> [1,C,H,W]. <paramref name="model"/> receives a batch of
    /// windows [n,C,h,w] (n ≤ <paramref name="batchSize"/>) and returns their velocities; it must not keep references.
    /// Cancellation is checked between batches. The caller owns the result (latent's dtype and device).
    /// </summary>
    public static torch.Tensor Run(
        torch.Tensor latent,
        LatentTilePlan plan,
        Func<torch.Tensor, torch.Tensor> model,
        int batchSize = 1,
        IProgress<(int Done, int Total)>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(latent);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (latent.dim() != 4 || latent.shape[0] != 1)
        {
            throw new ArgumentException($"Expected a latent [1,C,H,W], got [{string.Join(", ", latent.shape)}].", nameof(latent));
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (!plan.IsTiled)
        {
            using var whole = torch.NewDisposeScope();
            var v = model(latent);
            progress?.Report((1, 1));
            return v.MoveToOuterDisposeScope();
        }

        using var scope = torch.NewDisposeScope();
        var acc = torch.zeros(latent.shape, torch.ScalarType.Float32, latent.device);
        var cnt = torch.zeros(latent.shape, torch.ScalarType.Float32, latent.device);
        var tiles = plan.Tiles;
        int size = tiles[0].Height;
        var weights = GaussianTileWeights.Create(size).to(latent.device);
        for (int start = 0; start < tiles.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var step = torch.NewDisposeScope();
            var batch = tiles.Skip(start).Take(batchSize).ToList();
            var input = torch.cat(batch.Select(t => Window(latent, t)).ToList(), 0);
            var v = model(input).to(torch.ScalarType.Float32);
            for (int i = 0; i < batch.Count; i++)
            {
                var t = batch[i];
                var a = Window(acc, t);
                var c = Window(cnt, t);
                a.copy_(a.to(torch.ScalarType.Float64).add_(v[i].unsqueeze(0).to(torch.ScalarType.Float64).mul(weights)));
                c.copy_(c.to(torch.ScalarType.Float64).add_(weights));
            }

            progress?.Report((Math.Min(start + batchSize, tiles.Count), tiles.Count));
        }

        return acc.div_(cnt).to(latent.dtype).MoveToOuterDisposeScope();
    }

    private static torch.Tensor Window(torch.Tensor t, LatentTile tile) =>
        t.narrow(2, tile.Y, tile.Height).narrow(3, tile.X, tile.Width);
}
