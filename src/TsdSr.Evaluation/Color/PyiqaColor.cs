using System.Runtime.CompilerServices;
using TsdSr.Imaging;

namespace TsdSr.Evaluation.Color;

/// <summary>
/// Colour conversions reproducing pyiqa's float32 arithmetic bit for bit where it matters: luma values that land on
/// x.5 after ×255 round up or down depending on the float32 operation order, which moves NIQE by up to 0.03.
/// </summary>
internal static class PyiqaColor
{
    /// <summary>k/255 in float32, as <c>uint8 image / 255</c> in numpy or torch.</summary>
    private static readonly float[] Unit = Enumerable.Range(0, 256).Select(k => k / 255f).ToArray();

    /// <summary>
    /// Whether the 3-term float32 dot product of pyiqa's <c>x @ weights</c> is evaluated with fused multiply-adds
    /// (true: <c>fma(b, w2, fma(g, w1, r·w0))</c>, as GPU/BLAS kernels do) or with separately rounded products.
    /// </summary>
    internal static bool UseFma { get; set; } = true;

    /// <summary>The float32 value pyiqa sees for a channel byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToUnit(byte v) => Unit[v];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot(float r, float g, float b, float w0, float w1, float w2) => UseFma
        ? MathF.FusedMultiplyAdd(b, w2, MathF.FusedMultiplyAdd(g, w1, r * w0))
        : (r * w0) + (g * w1) + (b * w2);

    /// <summary>pyiqa <c>rgb2ycbcr</c> channel 0 in float32, range [16/255, 235/255], not rounded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float YcbcrY(byte r, byte g, byte b) => (Dot(Unit[r], Unit[g], Unit[b], 65.481f, 128.553f, 24.966f) + 16f) / 255f;

    /// <summary>pyiqa <c>rgb2yiq</c> channel 0 in float32, range [0, 1], not rounded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float YiqY(byte r, byte g, byte b) => Dot(Unit[r], Unit[g], Unit[b], 0.299f, 0.587f, 0.114f);

    /// <summary>Unrounded Y in [0,1] (float32) of every pixel, row-major.</summary>
    public static float[] Luma(RgbImage image, ColorSpace space)
    {
        var px = image.Pixels;
        var y = new float[image.Width * image.Height];
        if (space == ColorSpace.YCbCr)
        {
            for (int i = 0; i < y.Length; i++)
            {
                y[i] = YcbcrY(px[3 * i], px[(3 * i) + 1], px[(3 * i) + 2]);
            }
        }
        else if (space == ColorSpace.Yiq)
        {
            for (int i = 0; i < y.Length; i++)
            {
                y[i] = YiqY(px[3 * i], px[(3 * i) + 1], px[(3 * i) + 2]);
            }
        }
        else
        {
            throw new ArgumentException("RGB has no single luma channel.", nameof(space));
        }

        return y;
    }

    /// <summary>
    /// pyiqa's rounded 0..255 planes as float64 (<c>round(255·Y)</c>, torch half-to-even): one plane for Y spaces,
    /// three for RGB.
    /// </summary>
    public static double[][] Rounded255(RgbImage image, ColorSpace space)
    {
        int n = image.Width * image.Height;
        if (space == ColorSpace.Rgb)
        {
            var planes = new double[3][];
            for (int c = 0; c < 3; c++)
            {
                var p = new double[n];
                for (int i = 0; i < n; i++)
                {
                    p[i] = MathF.Round(Unit[image.Pixels[(3 * i) + c]] * 255f, MidpointRounding.ToEven);
                }

                planes[c] = p;
            }

            return planes;
        }

        var y = Luma(image, space);
        var plane = new double[n];
        for (int i = 0; i < n; i++)
        {
            plane[i] = MathF.Round(y[i] * 255f, MidpointRounding.ToEven);
        }

        return [plane];
    }
}
