using TsdSr.Imaging;

namespace TsdSr.Training.Metrics;

/// <summary>
/// Renders loss curves into a PNG without any drawing library: one panel per series, stacked vertically, each scaled
/// to its own range (loss terms differ by orders of magnitude), with a frame, a zero line when 0 is in range, and the
/// curve in the series' colour (the palette order is the column order). No text is drawn.
/// </summary>
public static class LossPlot
{
    /// <summary>Series colours, cycled.</summary>
    public static IReadOnlyList<(byte R, byte G, byte B)> Palette { get; } =
    [
        (31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189), (140, 86, 75), (227, 119, 194), (127, 127, 127),
    ];

    /// <summary>Draws the series into an image of <paramref name="width"/> × (<paramref name="panelHeight"/> · series).</summary>
    /// <exception cref="ArgumentException">No series, or sizes too small.</exception>
    public static RgbImage Render(IReadOnlyList<(string Name, IReadOnlyList<(long Step, double Value)> Points)> series, int width = 640, int panelHeight = 120)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.Count == 0)
        {
            throw new ArgumentException("Nothing to plot: no series.", nameof(series));
        }

        if (width < 16 || panelHeight < 16)
        {
            throw new ArgumentException($"The plot needs at least 16x16 pixels per panel, got {width}x{panelHeight}.");
        }

        int height = panelHeight * series.Count;
        var pixels = new byte[width * height * 3];
        Array.Fill(pixels, (byte)255);
        var canvas = new Canvas(pixels, width, height);
        for (int s = 0; s < series.Count; s++)
        {
            DrawPanel(canvas, series[s].Points, s * panelHeight, panelHeight, Palette[s % Palette.Count]);
        }

        return new RgbImage(width, height, pixels);
    }

    private static void DrawPanel(Canvas c, IReadOnlyList<(long Step, double Value)> points, int top, int h, (byte R, byte G, byte B) colour)
    {
        const int margin = 4;
        int left = margin, right = c.Width - 1 - margin, y0 = top + margin, y1 = top + h - 1 - margin;
        (byte, byte, byte) frame = (160, 160, 160);
        c.Line(left, y0, right, y0, frame);
        c.Line(left, y1, right, y1, frame);
        c.Line(left, y0, left, y1, frame);
        c.Line(right, y0, right, y1, frame);
        var finite = points.Where(p => double.IsFinite(p.Value)).ToList();
        if (finite.Count == 0)
        {
            return;
        }

        long sMin = finite.Min(p => p.Step), sMax = finite.Max(p => p.Step);
        double vMin = finite.Min(p => p.Value), vMax = finite.Max(p => p.Value);
        if (vMax == vMin)
        {
            vMax += 0.5;
            vMin -= 0.5;
        }

        int X(long s) => sMax == sMin ? (left + right) / 2 : left + 1 + (int)Math.Round((double)(s - sMin) / (sMax - sMin) * (right - left - 2));
        int Y(double v) => y1 - 1 - (int)Math.Round((v - vMin) / (vMax - vMin) * (y1 - y0 - 2));
        if (vMin < 0 && vMax > 0)
        {
            c.Line(left, Y(0), right, Y(0), (220, 220, 220));
        }

        for (int i = 0; i < finite.Count; i++)
        {
            int x = X(finite[i].Step), y = Y(finite[i].Value);
            if (i == 0)
            {
                c.Set(x, y, colour);
            }
            else
            {
                c.Line(X(finite[i - 1].Step), Y(finite[i - 1].Value), x, y, colour);
            }
        }
    }

    private readonly record struct Canvas(byte[] Pixels, int Width, int Height)
    {
        public void Set(int x, int y, (byte R, byte G, byte B) c)
        {
            if (x < 0 || y < 0 || x >= Width || y >= Height)
            {
                return;
            }

            int o = ((y * Width) + x) * 3;
            Pixels[o] = c.R;
            Pixels[o + 1] = c.G;
            Pixels[o + 2] = c.B;
        }

        // Bresenham: integer steps, every pixel of the segment.
        public void Line(int x0, int y0, int x1, int y1, (byte R, byte G, byte B) c)
        {
            int dx = Math.Abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
            int dy = -Math.Abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
            int err = dx + dy;
            while (true)
            {
                Set(x0, y0, c);
                if (x0 == x1 && y0 == y1)
                {
                    return;
                }

                int e2 = 2 * err;
                if (e2 >= dy)
                {
                    err += dy;
                    x0 += sx;
                }

                if (e2 <= dx)
                {
                    err += dx;
                    y0 += sy;
                }
            }
        }
    }
}
