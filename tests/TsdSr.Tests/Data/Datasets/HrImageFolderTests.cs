using TsdSr.Data.Datasets;
using TsdSr.Imaging;

namespace TsdSr.Tests.Data.Datasets;

public sealed class HrImageFolderTests : IDisposable
{
    private readonly string dir = DataTestImages.TempDir();

    [Fact]
    public void Finds_png_jpeg_and_webp_recursively_in_a_stable_order()
    {
        var img = DataTestImages.Texture(16, 16, 1);
        ImageCodec.SavePng(img, Path.Combine(dir, "b.png"));
        ImageCodec.SavePng(img, Path.Combine(dir, "sub", "a.png"));
        using (var fs = File.Create(Path.Combine(dir, "sub", "c.JPG")))
        {
            ImageCodec.EncodeJpeg(img, fs, 90);
        }

        File.WriteAllText(Path.Combine(dir, "notes.txt"), "not an image");
        var folder = HrImageFolder.Scan(dir);
        folder.Files.Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/')).Should().Equal("b.png", "sub/a.png", "sub/c.JPG");
        folder.RelativeStem(folder.Files[1]).Should().Be("sub/a");
    }

    [Fact]
    public void Missing_or_empty_folders_are_reported()
    {
        var missing = () => HrImageFolder.Scan(Path.Combine(dir, "nope"));
        missing.Should().Throw<DirectoryNotFoundException>().WithMessage("*nope*");
        var empty = () => HrImageFolder.Scan(dir);
        empty.Should().Throw<ArgumentException>().WithMessage("*No*image*");
    }

    [Fact]
    public void Several_folders_are_listed_one_after_the_other_and_stems_are_relative_to_their_own_folder()
    {
        var img = DataTestImages.Texture(16, 16, 1);
        ImageCodec.SavePng(img, Path.Combine(dir, "one", "z.png"));
        ImageCodec.SavePng(img, Path.Combine(dir, "two", "sub", "a.png"));
        ImageCodec.SavePng(img, Path.Combine(dir, "two", "b.png"));

        var folder = HrImageFolder.Scan([Path.Combine(dir, "one"), Path.Combine(dir, "two")]);

        folder.Files.Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/')).Should().Equal("one/z.png", "two/b.png", "two/sub/a.png");
        folder.Roots.Should().Equal(Path.Combine(dir, "one"), Path.Combine(dir, "two"));
        folder.Files.Select(folder.RelativeStem).Should().Equal("z", "b", "sub/a");
        FluentActions.Invoking(() => HrImageFolder.Scan([Path.Combine(dir, "one"), Path.Combine(dir, "one") + "/"]))
            .Should().Throw<ArgumentException>().WithMessage("*more than once*");
        FluentActions.Invoking(() => HrImageFolder.Scan([Path.Combine(dir, "one"), Path.Combine(dir, "nope")]))
            .Should().Throw<DirectoryNotFoundException>().WithMessage("*nope*");
    }

    public void Dispose() => Directory.Delete(dir, true);
}
