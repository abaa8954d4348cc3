using TorchSharp;
using TsdSr.Data.Degradation;
using TsdSr.Data.Degradation.Operators;
using TsdSr.Imaging;

namespace TsdSr.Data.Runner;

/// <summary>One image of HR/LR pairs (or any rows of images) side by side, so a person can see what the degradations do.</summary>
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
        return Build(pairs.Select(p => (IReadOnlyList<torch.Tensor>)[p.Hr, p.Lr]).ToArray(), tileSize);
    }

    /// <summary>A grid with one row per entry of <paramref name="rows"/>; all rows must have the same number of images.</summary>
    public static RgbImage Build(IReadOnlyList<IReadOnlyList<torch.Tensor>> rows, int tileSize = 256)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0 || rows[0].Count == 0 || rows.Any(r => r.Count != rows[0].Count))
        {
            throw new ArgumentException("A contact sheet needs at least one row, and rows of equal length.", nameof(rows));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(tileSize, 8);
        using var scope = torch.NewDisposeScope();
        int columns = rows[0].Count;
        int width = (columns * tileSize) + ((columns + 1) * Gap), height = (rows.Count * tileSize) + ((rows.Count + 1) * Gap);
        var sheet = torch.ones(1, 3, height, width);
        for (int i = 0; i < rows.Count; i++)
        {
            int top = Gap + (i * (tileSize + Gap));
            for (int j = 0; j < columns; j++)
            {
                int left = Gap + (j * (tileSize + Gap));
                sheet[.., .., top..(top + tileSize), left..(left + tileSize)] = Tile(rows[i][j], tileSize);
            }
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
