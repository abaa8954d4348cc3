using TsdSr.Data.Random;
using TsdSr.Imaging;

namespace TsdSr.Tests.Data;

/// <summary>Test inputs for the data tests: the copied RealSR HR photos and synthetic images.</summary>
internal static class DataTestImages
{
    public static string RealSrHr { get; } = Path.Combine(AppContext.BaseDirectory, "data", "realsr_subset", "hr");

    public static string RealSrFile(string name = "Canon_001_LR4.png") => Path.Combine(RealSrHr, name);

    /// <summary>A crop [1,3,size,size] of a real photo, float32 in [0,1].</summary>
    public static Tensor PhotoCrop(int size = 128, string name = "Canon_001_LR4.png", int top = 128, int left = 128)
    {
        using var full = ImageTensors.ToTensor(ImageCodec.Load(RealSrFile(name)));
        return full.narrow(2, top, size).narrow(3, left, size).contiguous();
    }

    /// <summary>A random-texture RGB image (noise over a smooth gradient).</summary>
    public static RgbImage Texture(int width, int height, ulong seed)
    {
        var rng = new CounterRng(seed);
        var px = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    double v = (64 * (x + y + (c * 20)) / (double)(width + height)) + rng.Uniform(0, 160);
                    px[(((y * width) + x) * 3) + c] = (byte)Math.Clamp(v, 0, 255);
                }
            }
        }

        return new RgbImage(width, height, px);
    }

    /// <summary>A fresh empty temporary folder.</summary>
    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tsdsr-data-tests-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
