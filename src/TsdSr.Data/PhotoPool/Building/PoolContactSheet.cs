using System.Globalization;
using System.Text;
using TsdSr.Imaging;
using TsdSr.Imaging.Resampling;

namespace TsdSr.Data.PhotoPool.Building;

/// <summary>
/// A grid of thumbnails of every photo a source matched, for deciding exclusions by eye: train photos on grey,
/// held-out photos framed in blue, excluded photos framed in red. A text index lists the cells in reading order.
/// </summary>
internal sealed class PoolContactSheet
{
    private const int Tile = 192;
    private const int Frame = 6;
    private const int Columns = 8;

    private readonly List<(RgbImage Thumbnail, string Label, byte[] Colour)> cells = [];

    public void Add(RgbImage image, string name, string status, string? note)
    {
        var (w, h) = image.Width >= image.Height
            ? (Tile, Math.Max(1, (int)Math.Round((double)Tile * image.Height / image.Width)))
            : (Math.Max(1, (int)Math.Round((double)Tile * image.Width / image.Height)), Tile);
        byte[] colour = status switch
        {
            "excluded" => [220, 30, 30],
            "heldout" => [30, 80, 230],
            _ => [128, 128, 128],
        };
        var label = $"{cells.Count + 1,3} {status,-8} {image.Width}x{image.Height} {name}{(note is null ? "" : "  — " + note)}";
        cells.Add((PillowResize.Bicubic(image, w, h), label, colour));
    }

    public void Write(string folder, string sourceId)
    {
        if (cells.Count == 0)
        {
            return;
        }

        int cell = Tile + (2 * Frame);
        int columns = Math.Min(Columns, cells.Count), rows = (cells.Count + Columns - 1) / Columns;
        var pixels = new byte[columns * cell * rows * cell * 3];
        Array.Fill(pixels, (byte)255);
        for (int i = 0; i < cells.Count; i++)
        {
            var (thumb, _, colour) = cells[i];
            int left = (i % Columns) * cell, top = (i / Columns) * cell;
            Fill(pixels, columns * cell, left + 1, top + 1, cell - 2, cell - 2, colour);
            int x0 = left + Frame + ((Tile - thumb.Width) / 2), y0 = top + Frame + ((Tile - thumb.Height) / 2);
            for (int y = 0; y < thumb.Height; y++)
            {
                Buffer.BlockCopy(thumb.Pixels, y * thumb.Width * 3, pixels, (((y0 + y) * columns * cell) + x0) * 3, thumb.Width * 3);
            }
        }

        Directory.CreateDirectory(folder);
        ImageCodec.SavePng(new RgbImage(columns * cell, rows * cell, pixels), Path.Combine(folder, sourceId + ".png"));
        var index = new StringBuilder();
        index.Append(CultureInfo.InvariantCulture, $"# {sourceId}: {cells.Count} photos, {Columns} per row\n");
        foreach (var (_, label, _) in cells)
        {
            index.Append(label).Append('\n');
        }

        File.WriteAllText(Path.Combine(folder, sourceId + ".txt"), index.ToString());
    }

    private static void Fill(byte[] pixels, int stride, int left, int top, int width, int height, byte[] colour)
    {
        for (int y = top; y < top + height; y++)
        {
            for (int x = left; x < left + width; x++)
            {
                int o = ((y * stride) + x) * 3;
                pixels[o] = colour[0];
                pixels[o + 1] = colour[1];
                pixels[o + 2] = colour[2];
            }
        }
    }
}
