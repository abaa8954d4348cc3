using TsdSr.Imaging;

namespace TsdSr.Tests.Imaging;

public class ImageCodecTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-img-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static RgbImage Gradient(int w, int h, bool withAlpha = false)
    {
        var px = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++)
        {
            px[i * 3] = (byte)(i % 251);
            px[(i * 3) + 1] = (byte)((i * 7) % 256);
            px[(i * 3) + 2] = (byte)(255 - (i % 256));
        }

        byte[]? alpha = withAlpha ? Enumerable.Range(0, w * h).Select(i => (byte)(i % 256)).ToArray() : null;
        return new RgbImage(w, h, px, alpha);
    }

    [Fact]
    public void Png_round_trip_is_lossless_and_keeps_alpha()
    {
        var img = Gradient(17, 9, withAlpha: true);
        var path = Path.Combine(dir, "a.png");
        ImageCodec.SavePng(img, path);
        ImageCodec.Identify(path).Should().Be((17, 9));
        var back = ImageCodec.Load(path);
        back.Pixels.Should().Equal(img.Pixels);
        back.Alpha.Should().Equal(img.Alpha);
    }

    [Fact]
    public void Opaque_images_have_no_alpha_plane()
    {
        var path = Path.Combine(dir, "o.png");
        ImageCodec.SavePng(Gradient(8, 8), path);
        ImageCodec.Load(path).Alpha.Should().BeNull();
    }

    [Fact]
    public void Images_over_the_pixel_limit_are_rejected_before_decoding()
    {
        var path = Path.Combine(dir, "big.png");
        ImageCodec.SavePng(Gradient(40, 30), path);
        var act = () => ImageCodec.Load(path, new ImageLoadOptions { MaxPixels = 1000 });
        act.Should().Throw<ImageFormatException>().WithMessage("*40x30*1200*1000*");
    }

    [Fact]
    public void Corrupt_and_unsupported_files_give_a_specific_error()
    {
        var junk = Path.Combine(dir, "junk.png");
        File.WriteAllBytes(junk, Enumerable.Range(0, 300).Select(i => (byte)(i * 31)).ToArray());
        ((Action)(() => ImageCodec.Load(junk))).Should().Throw<ImageFormatException>().WithMessage("*junk.png*");

        var gif = Path.Combine(dir, "x.gif");
        File.WriteAllBytes(gif, "GIF89a\u0001\0\u0001\0\0\0\0;"u8.ToArray());
        ((Action)(() => ImageCodec.Load(gif))).Should().Throw<ImageFormatException>().WithMessage("*not a PNG, JPEG, BMP or WebP*");

        ((Action)(() => ImageCodec.Load(Path.Combine(dir, "missing.png")))).Should().Throw<FileNotFoundException>();
    }

    [Fact]
    public void Truncated_png_gives_a_specific_error()
    {
        var path = Path.Combine(dir, "t.png");
        ImageCodec.SavePng(Gradient(64, 64), path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        ((Action)(() => ImageCodec.Load(path))).Should().Throw<ImageFormatException>();
    }

    [Fact]
    public void Jpeg_quality_controls_the_error()
    {
        var img = Gradient(32, 32);
        double Error(int q)
        {
            using var ms = new MemoryStream();
            ImageCodec.EncodeJpeg(img, ms, q);
            ms.Position = 0;
            var back = ImageCodec.Load(ms, "mem.jpg");
            return img.Pixels.Zip(back.Pixels, (a, b) => Math.Abs(a - b)).Average();
        }

        Error(95).Should().BeLessThan(Error(30));
    }
}
