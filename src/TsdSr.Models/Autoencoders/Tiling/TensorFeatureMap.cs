using TorchSharp;

namespace TsdSr.Models.Autoencoders.Tiling;

/// <summary>A feature map held as one tensor on a device (RAM, or GPU memory).</summary>
internal sealed class TensorFeatureMap : FeatureMap
{
    private readonly torch.Tensor values;

    private TensorFeatureMap(torch.Tensor values)
        : base(values.shape[1], values.shape[2], values.shape[3], values.dtype)
    {
        this.values = values;
    }

    /// <summary>An empty map; its tensor belongs to the map, outside any dispose scope.</summary>
    public static TensorFeatureMap Allocate(long channels, long height, long width, torch.ScalarType dtype, torch.Device device) =>
        new(torch.empty(new[] { 1L, channels, height, width }, dtype, device).DetachFromDisposeScope());

    /// <summary>A map over an existing tensor [1,C,H,W] (an alias is kept; the caller keeps its own handle). No moments.</summary>
    public static TensorFeatureMap Wrap(torch.Tensor values) => new(values.alias().DetachFromDisposeScope());

    public override torch.Tensor Read(long y, long h, long x, long w) => values.narrow(2, y, h).narrow(3, x, w);

    public override void Dispose() => values.Dispose();

    protected override void Store(long y, long x, torch.Tensor tile)
    {
        using var target = values.narrow(2, y, tile.shape[2]).narrow(3, x, tile.shape[3]);
        target.copy_(tile);
    }
}
