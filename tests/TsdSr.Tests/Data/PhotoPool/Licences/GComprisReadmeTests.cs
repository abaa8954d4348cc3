using TsdSr.Data.PhotoPool;
using TsdSr.Data.PhotoPool.Licences;

namespace TsdSr.Tests.Data.PhotoPool.Licences;

public sealed class GComprisReadmeTests
{
    // Shapes seen in gcompris-qt-data 3.1: keys in any order, Files inline or listed below, blank lines between blocks.
    private const string Text = """
        Copyright: Timothée Giet, 2022
        License: CC-BY-SA 4.0
        Files:
        transparent_square.svg

        Copyright: Sergio Cambelo
        Files: giraffe.webp
        Source: https://commons.wikimedia.org/wiki/File:Giraffe.JPG
        License: Public domain
        Comments: cropping, sharpening

        Copyright: Gary Todd
        License: CC0-1.0
        Source: https://example.org/pyramid.jpg
        Files:
        egypt/greatPyramidOfGiza.webp
        egypt/other.webp

        Files: nolicence.webp
        Copyright: nobody
        """;

    [Fact]
    public void Each_listed_file_gets_its_block_licence_author_and_source()
    {
        var licences = GComprisReadme.Parse(Text);

        licences["giraffe.webp"].Should().Be(new PhotoLicence("public-domain", "Sergio Cambelo", "https://commons.wikimedia.org/wiki/File:Giraffe.JPG"));
        licences["egypt/greatPyramidOfGiza.webp"].Should().Be(new PhotoLicence("CC0-1.0", "Gary Todd", "https://example.org/pyramid.jpg"));
        licences["egypt/other.webp"].Licence.Should().Be("CC0-1.0");
        licences["transparent_square.svg"].Should().Be(new PhotoLicence("CC-BY-SA-4.0", "Timothée Giet, 2022"));
    }

    [Fact]
    public void A_block_without_a_licence_lists_nothing()
    {
        GComprisReadme.Parse(Text).Should().NotContainKey("nolicence.webp").And.HaveCount(4);
    }

    [Fact]
    public void Windows_line_ends_parse_the_same()
    {
        GComprisReadme.Parse(Text.ReplaceLineEndings("\r\n")).Should().BeEquivalentTo(GComprisReadme.Parse(Text));
    }
}
