using TsdSr.Core.Files;
using TsdSr.Imaging;

namespace TsdSr.Tests.Imaging;

/// <summary>Writes choose the format from the extension, never replace a file unasked, and leave no temporary behind.</summary>
public sealed class ImageCodecSaveTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-save-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData("out.png", new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' })]
    [InlineData("out.jpg", new byte[] { 0xFF, 0xD8, 0xFF })]
    [InlineData("out.JPEG", new byte[] { 0xFF, 0xD8, 0xFF })]
    [InlineData("out.bmp", new byte[] { (byte)'B', (byte)'M' })]
    [InlineData("out.webp", new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F' })]
    public void The_extension_chooses_the_container(string name, byte[] magic)
    {
        var path = Path.Combine(dir, name);

        ImageCodec.Save(ImageCodecIntegrityTests.Noise(16, 8), path);

        File.ReadAllBytes(path)[..magic.Length].Should().Equal(magic);
        ImageCodec.Identify(path).Should().Be((16, 8));
        Directory.GetFiles(dir).Should().ContainSingle("no temporary is left next to the output");
    }

    [Fact]
    public void Jpeg_quality_is_applied()
    {
        var image = ImageCodecIntegrityTests.Noise(64, 64);
        var low = Path.Combine(dir, "low.jpg");
        var high = Path.Combine(dir, "high.jpg");

        ImageCodec.Save(image, low, new ImageSaveOptions { JpegQuality = 20 });
        ImageCodec.Save(image, high, new ImageSaveOptions { JpegQuality = 98 });

        new FileInfo(high).Length.Should().BeGreaterThan(new FileInfo(low).Length);
    }

    [Theory]
    [InlineData("out.tiff", "'.tiff' names no image format")]
    [InlineData("out", "(no extension)")]
    public void A_path_whose_extension_names_no_format_is_refused(string name, string reason)
    {
        var save = () => ImageCodec.Save(ImageCodecIntegrityTests.Noise(4, 4), Path.Combine(dir, name));

        save.Should().Throw<ArgumentException>().WithMessage($"*{reason}*");
        Directory.GetFiles(dir).Should().BeEmpty();
    }

    [Fact]
    public void Jpeg_is_refused_for_an_image_with_transparency()
    {
        var image = new RgbImage(2, 2, new byte[12], [0, 255, 255, 255]);

        var save = () => ImageCodec.Save(image, Path.Combine(dir, "out.jpg"));

        save.Should().Throw<ArgumentException>().WithMessage("*JPEG cannot store the image's transparency*");
    }

    [Fact]
    public void An_existing_file_is_replaced_only_when_asked()
    {
        var path = Path.Combine(dir, "out.png");
        File.WriteAllText(path, "precious");

        var save = () => ImageCodec.Save(ImageCodecIntegrityTests.Noise(4, 4), path);

        save.Should().Throw<IOException>().WithMessage($"*'{path}' already exists*");
        File.ReadAllText(path).Should().Be("precious");
        ImageCodec.Save(ImageCodecIntegrityTests.Noise(4, 4), path, new ImageSaveOptions { Overwrite = true });
        ImageCodec.Identify(path).Should().Be((4, 4));
        TemporaryFiles.Current.Should().NotContain(p => p.StartsWith(path, StringComparison.Ordinal));
    }
}
