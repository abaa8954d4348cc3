using TsdSr.Imaging;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Imaging;

/// <summary>Truncated files and partial decodes are refused by name; decoders would otherwise fill the gap and succeed.</summary>
public sealed class ImageCodecIntegrityTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-integrity-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>A noisy image, so that every codec needs all of its data.</summary>
    internal static RgbImage Noise(int w, int h, int seed = 1)
    {
        var random = new Random(seed);
        var px = new byte[w * h * 3];
        random.NextBytes(px);
        return new RgbImage(w, h, px);
    }

    private string Write(string name, Func<byte[], byte[]>? cut = null)
    {
        var path = Path.Combine(dir, name);
        ImageCodec.Save(Noise(64, 64), path, new ImageSaveOptions { Overwrite = true });
        if (cut is not null)
        {
            File.WriteAllBytes(path, cut(File.ReadAllBytes(path)));
        }

        return path;
    }

    [Theory]
    [InlineData("half.jpg", "ends before its end-of-image marker")]
    [InlineData("half.png", "")]
    [InlineData("half.webp", "declares")]
    [InlineData("half.bmp", "truncated")]
    public void A_file_cut_in_half_is_refused_by_name(string name, string reason)
    {
        var path = Write(name, b => b[..(b.Length / 2)]);

        var load = () => ImageCodec.Load(path);

        load.Should().Throw<ImageFormatException>().WithMessage($"*{name}*{reason}*");
    }

    [Fact]
    public void A_jpeg_without_its_end_marker_is_refused_although_it_decodes()
    {
        var path = Write("noeoi.jpg", b => b[..^2]);

        var load = () => ImageCodec.Load(path);

        load.Should().Throw<ImageFormatException>().WithMessage("*noeoi.jpg*end-of-image marker*truncated*");
    }

    [Fact]
    public void A_png_without_its_iend_chunk_is_refused()
    {
        var path = Write("noiend.png", b => b[..^12]);

        var load = () => ImageCodec.Load(path);

        load.Should().Throw<ImageFormatException>().WithMessage("*noiend.png*IEND*");
    }

    [Theory]
    [InlineData("a.jpg")]
    [InlineData("a.png")]
    [InlineData("a.webp")]
    [InlineData("a.bmp")]
    public void Complete_files_load_and_trailing_bytes_after_the_end_are_accepted(string name)
    {
        var path = Write(name);
        ImageCodec.Load(path).Width.Should().Be(64);

        File.AppendAllText(path, "trailer written by some camera");

        ImageCodec.Load(path).Width.Should().Be(64);
    }

    [Fact]
    public void Zero_byte_and_fifo_images_are_refused_without_blocking()
    {
        var empty = Path.Combine(dir, "empty.png");
        File.WriteAllBytes(empty, []);
        var fifo = SpecialFiles.MakeFifo(Path.Combine(dir, "pipe.png"));

        ((Action)(() => ImageCodec.Load(empty))).Should().Throw<ImageFormatException>().WithMessage("*empty.png*empty (0 bytes)*");
        ((Action)(() => ImageCodec.Identify(fifo))).Should().Throw<ImageFormatException>().WithMessage("*pipe.png*not a regular file*");
    }

    [Fact]
    public void Limits_name_the_setting_that_raises_them()
    {
        var path = Write("a.png");

        var load = () => ImageCodec.Load(path, new ImageLoadOptions { MaxPixels = 100, MaxPixelsSetting = "--max-input-pixels" });
        var identify = () => ImageCodec.Identify(path, new ImageLoadOptions { MaxFileBytes = 10, MaxFileBytesSetting = "--max-input-file-bytes" });

        load.Should().Throw<ImageFormatException>().WithMessage("*64x64 is 4096 pixels, over the limit of 100 (--max-input-pixels)*");
        identify.Should().Throw<ImageFormatException>().WithMessage("*over the limit of 10 (--max-input-file-bytes)*");
    }
}
