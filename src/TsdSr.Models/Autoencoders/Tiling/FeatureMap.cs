using TorchSharp;

namespace TsdSr.Models.Autoencoders.Tiling;

/// <summary>
/// A full-size feature map [1,C,H,W] that the tiled VAE fills tile by tile and reads back in windows. Every write also
/// feeds the map's <see cref="ChannelMoments"/>, so GroupNorm statistics are ready when the map is complete. Tiles
/// written between two <see cref="BeginOverwrite"/> calls must not overlap.
/// </summary>
internal abstract class FeatureMap : IDisposable
{
    protected FeatureMap(long channels, long height, long width, torch.ScalarType dtype)
    {
        Channels = channels;
        Height = height;
        Width = width;
        Dtype = dtype;
        Moments = new ChannelMoments(channels);
    }

    public long Channels { get; }

    public long Height { get; }

    public long Width { get; }

    public torch.ScalarType Dtype { get; }

    /// <summary>Statistics of everything written since creation or the last <see cref="BeginOverwrite"/>.</summary>
    public ChannelMoments Moments { get; }


    /// <summary>Rows [y, y+h) and columns [x, x+w) as [1,C,h,w]; a view or a copy, on the storage's device.</summary>
    public abstract torch.Tensor Read(long y, long h, long x, long w);

    /// <summary>The whole map.</summary>
    public torch.Tensor ReadAll() => Read(0, Height, 0, Width);

    /// <summary>Stores <paramref name="tile"/> [1,C,h,w] at (<paramref name="y"/>, <paramref name="x"/>) and adds it to the moments.</summary>
    public void Write(long y, long x, torch.Tensor tile)
    {
        if (tile.shape[1] != Channels || y < 0 || x < 0 || y + tile.shape[2] > Height || x + tile.shape[3] > Width)
        {
            throw new ArgumentException($"Tile [{string.Join(", ", tile.shape)}] at ({y}, {x}) does not fit a [{Channels}, {Height}, {Width}] map.", nameof(tile));
        }

        Store(y, x, tile);
        Moments.Add(tile);
    }

    /// <summary>Starts a new generation of writes (an in-place layer output): the moments restart.</summary>
    public void BeginOverwrite() => Moments.Reset();

    public abstract void Dispose();

    /// <summary>Bytes a [1,C,H,W] map of <paramref name="dtype"/> takes.</summary>
    internal static long SizeInBytes(long channels, long height, long width, torch.ScalarType dtype) =>
        channels * height * width * ElementSize(dtype);

    internal static long ElementSize(torch.ScalarType dtype) => dtype switch
    {
        torch.ScalarType.Float32 => 4,
        torch.ScalarType.BFloat16 or torch.ScalarType.Float16 => 2,
        torch.ScalarType.Float64 => 8,
        _ => throw new NotSupportedException($"Feature maps of {dtype} are not supported."),
    };

    protected abstract void Store(long y, long x, torch.Tensor tile);
}
