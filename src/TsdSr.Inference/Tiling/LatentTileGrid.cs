namespace TsdSr.Inference.Tiling;

/// <summary>One window of the latent the transformer sees.</summary>
/// <param name="Y">Row offset.</param>
/// <param name="X">Column offset.</param>
/// <param name="Height">Rows.</param>
/// <param name="Width">Columns.</param>
public readonly record struct LatentTile(int Y, int X, int Height, int Width);

/// <summary>The windows of one latent, and whether they are blended (tiled) or a single whole-latent pass.</summary>
/// <param name="Tiles">Windows in the reference's call order.</param>
/// <param name="IsTiled">False when one pass covers the whole latent (no blending).</param>
public sealed record LatentTilePlan(IReadOnlyList<LatentTile> Tiles, bool IsTiled);

/// <summary>
/// The reference's latent tiling: untiled when h·w ≤ tile²; otherwise square tiles of min(tile, h, w) with stride
/// tile − overlap, the last tile of each axis flush with the far edge, in the reference's call order (x outer, y inner).
/// </summary>
public static class LatentTileGrid
{
    /// <summary>The tiles covering an <paramref name="height"/> × <paramref name="width"/> latent.</summary>
    public static LatentTilePlan Create(int height, int width, int tileSize, int overlap)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tileSize);
        ArgumentOutOfRangeException.ThrowIfNegative(overlap);
        if (overlap >= tileSize)
        {
            throw new ArgumentOutOfRangeException(nameof(overlap), $"The overlap ({overlap}) must be smaller than the tile size ({tileSize}).");
        }

        if ((long)height * width <= (long)tileSize * tileSize)
        {
            return new LatentTilePlan([new LatentTile(0, 0, height, width)], false);
        }

        int tile = Math.Min(tileSize, Math.Min(height, width));
        int stride = tile - Math.Min(overlap, tile - 1);
        var ys = Offsets(height, tile, stride);
        var xs = Offsets(width, tile, stride);
        var tiles = new List<LatentTile>(xs.Count * ys.Count);
        foreach (var x in xs)
        {
            foreach (var y in ys)
            {
                tiles.Add(new LatentTile(y, x, tile, tile));
            }
        }

        return new LatentTilePlan(tiles, true);
    }

    private static List<int> Offsets(int size, int tile, int stride)
    {
        int n = 0, covered = 0;
        while (covered < size)
        {
            covered = Math.Max((n * tile) - (n * (tile - stride)), 0) + tile;
            n++;
        }

        var offsets = new List<int>(n);
        for (int i = 0; i < n; i++)
        {
            offsets.Add(i == n - 1 ? size - tile : i * stride);
        }

        return offsets;
    }
}
