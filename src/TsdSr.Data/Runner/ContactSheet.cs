using TorchSharp;
using TsdSr.Data.Degradation;
using TsdSr.Data.Degradation.Operators;
using TsdSr.Imaging;

namespace TsdSr.Data.Runner;

/// <summary>One image of HR/LR pairs side by side (one pair per row) so a person can see what the degradations do.</summary>
public static class ContactSheet
{
    /// <summary>White gap between tiles, in pixels.</summary>
    public const int Gap = 4;

    /// <summary>
    /// Builds the sheet: each row is HR | LR, each resized (area) to <paramref name="tileSize"/>². Images are
    /// [1, 3, H, W] or [3, H, W] in [0, 1]; LR may be at its own size (it is then enlarged with nearest neighbours so
    /// its pixels stay visible).
    /// </summary>
    public static RgbImage Build(IReadOnlyList<(torch.Tensor Hr, torch.Tensor Lr)> pairs, int tileSize = 256)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0)
        {
            throw new ArgumentException("A contact sheet needs at least one pair.", nameof(pairs));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(tileSize, 8);
        using var scope = torch.NewDisposeScope();
        int width = (2 * tileSize) + (3 * Gap), height = (pairs.Count * tileSize) + ((pairs.Count + 1) * Gap);
        var sheet = torch.ones(1, 3, height, width);
        for (int i = 0; i < pairs.Count; i++)
        {
            int top = Gap + (i * (tileSize + Gap));
            sheet[.., .., top..(top + tileSize), Gap..(Gap + tileSize)] = Tile(pairs[i].Hr, tileSize);
            sheet[.., .., top..(top + tileSize), ((2 * Gap) + tileSize)..((2 * Gap) + (2 * tileSize))] = Tile(pairs[i].Lr, tileSize);
        }

        return ImageTensors.FromTensor(sheet, ByteConversion.Round);
    }

    private static torch.Tensor Tile(torch.Tensor image, int size)
    {
        var x = (image.dim() == 3 ? image.unsqueeze(0) : image).to(torch.ScalarType.Float32);
        if (x.shape[2] < size || x.shape[3] < size)
        {
            x = torch.nn.functional.interpolate(x, size: [size, size], mode: torch.InterpolationMode.Nearest);
        }

        return Resizer.ToSize(x, size, size, ResizeMode.Area).clamp(0f, 1f);
    }
}
