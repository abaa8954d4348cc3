using System.Text;
using TsdSr.Data.PhotoPool;
using TsdSr.Imaging;
using TsdSr.Tests.Data.PhotoPool.Archives;

namespace TsdSr.Tests.Data.PhotoPool.Building;

/// <summary>
/// A fake extracted-packages folder with three small packages (plain PNG files, a Qt resource archive with a
/// GCompris-style README, an Eet archive holding one picture at two sizes) and a catalogue over them.
/// </summary>
internal sealed class ExtractedFolder : IDisposable
{
    public ExtractedFolder()
    {
        Root = DataTestImages.TempDir();
        Extracted = Path.Combine(Root, "extracted");
        Output = Path.Combine(Root, "pool");
        Package("pkg-files", "1.0-1");
        Png("pkg-files", "usr/share/pics/a.png", DataTestImages.Texture(64, 48, 1));
        Png("pkg-files", "usr/share/pics/b.png", DataTestImages.Texture(65, 47, 2));
        Png("pkg-files", "usr/share/pics/c.png", DataTestImages.Texture(40, 40, 3));
        Write("pkg-files", "usr/share/pics/notes.txt", "not an image"u8.ToArray());

        Package("pkg-rcc", "2:3.1-2");
        var readme = Encoding.UTF8.GetBytes("Copyright: Jane Doe\nLicense: Public domain\nSource: https://example.org/x\nFiles: x.png\n\nCopyright: John Roe\nLicense: CC0-1.0\nFiles:\ny.png\n");
        Write("pkg-rcc", "usr/share/r.rcc", RccWriter.Write(
            2,
            new RccWriter.File("res/README", readme, Zlib: true),
            new RccWriter.File("res/x.png", Encode(DataTestImages.Texture(30, 20, 4))),
            new RccWriter.File("res/y.png", Encode(DataTestImages.Texture(20, 30, 5)), Zlib: true),
            new RccWriter.File("res/icon.svg", "<svg/>"u8.ToArray())).Bytes);

        Package("pkg-eet", "0.25");
        Write("pkg-eet", "usr/share/e.edj", EetWriter.Write(
        [
            new EetWriter.Entry("edje/images/1", Encode(DataTestImages.Texture(16, 12, 6))),
            new EetWriter.Entry("edje/images/0", Encode(DataTestImages.Texture(40, 30, 6))),
            new EetWriter.Entry("edje/file", "collections"u8.ToArray()),
        ]));
    }

    public string Root { get; }

    public string Extracted { get; }

    public string Output { get; }

    public static PhotoCatalogue Catalogue { get; } = new()
    {
        Sources =
        [
            new PhotoSource { Id = "files", Package = "pkg-files", Paths = ["usr/share/pics/*.png"], Scale = 0.5, FixedLicence = new PhotoLicence("CC0-1.0", "Test") },
            new PhotoSource
            {
                Id = "rcc", Package = "pkg-rcc", Container = PhotoContainer.Rcc, Paths = ["usr/share/r.rcc"], Entries = "res/*.png",
                Licence = LicenceSource.GComprisReadme,
            },
            new PhotoSource
            {
                Id = "eet", Package = "pkg-eet", Container = PhotoContainer.Eet, Paths = ["usr/share/*.edj"], Entries = "edje/images/*",
                LargestEntryOnly = true, Optional = true, FixedLicence = new PhotoLicence("BSD-2-Clause"),
            },
        ],
        Exclusions = [new PhotoExclusion("pkg-files", "usr/share/pics/c.png", null, "render")],
        HeldOut = [new PhotoKey("pkg-rcc", "usr/share/r.rcc", "res/y.png")],
    };

    public string PathOf(string package, string relative) => Path.Combine(Extracted, package, relative);

    public static byte[] Encode(RgbImage image)
    {
        using var buffer = new MemoryStream();
        ImageCodec.EncodePng(image, buffer);
        return buffer.ToArray();
    }

    public void Png(string package, string relative, RgbImage image) => Write(package, relative, Encode(image));

    public void Write(string package, string relative, byte[] bytes)
    {
        var path = PathOf(package, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    public void Dispose() => Directory.Delete(Root, true);

    private void Package(string name, string version)
    {
        Directory.CreateDirectory(Path.Combine(Extracted, name));
        File.WriteAllText(Path.Combine(Extracted, name + ".version"), version + "\n");
    }
}
