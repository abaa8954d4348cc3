using TsdSr.Data.PhotoPool;
using TsdSr.Data.PhotoPool.Manifest;
using static TsdSr.Tests.Data.PhotoPool.Manifest.ManifestRows;

namespace TsdSr.Tests.Data.PhotoPool.Manifest;

public sealed class PhotoManifestTests
{
    [Fact]
    public void Rows_survive_a_write_and_read_round_trip_including_quotes_commas_and_empty_fields()
    {
        var rows = new[]
        {
            Row("zebra", licence: new PhotoLicence("CC-BY-SA-4.0", "Trevor \"Freespace\", 2018", null)),
            Row("alpaca", entry: "gcompris/src/activities/erase/resource/alpaca.webp", licence: new PhotoLicence("public-domain")),
            Row("coffee", PhotoSplit.Heldout, "skimage", licence: new PhotoLicence("CC0-1.0", "Роман Наумов, line\nbreak", "https://example.org/a,b")),
        };
        var path = Path.GetTempFileName();
        try
        {
            new PhotoManifest(rows).Write(path);
            var back = PhotoManifest.Read(path);

            // Records compare by value: every column, the key and the licence included.
            back.Rows.Should().BeEquivalentTo(rows, o => o.ComparingRecordsByValue());
            back.Rows.Select(r => r.Key.Path).Should().Equal("usr/share/alpaca.jpg", "usr/share/zebra.jpg", "usr/share/coffee.jpg");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_text_has_the_documented_header_and_one_line_per_row()
    {
        var text = new PhotoManifest([Row("b"), Row("a")]).Format();
        var lines = text.Split('\n');

        lines[0].Should().Be("split,source,package,version,path,entry,file,width,height,scale,licence,author,origin,source_sha256,sha256");
        lines[1].Should().StartWith("train,src,pkg,1:2.0-1,usr/share/a.jpg,,train/src/a.png,640,480,0.5,CC0-1.0,A. Photographer,https://example.org/p,");
        lines.Should().HaveCount(4).And.EndWith("");
    }

    [Theory]
    [InlineData("split,source\n", 1, "*the header must be*")]
    [InlineData("HEADER\ntrain,src\n", 2, "*2 fields; every row has 15*")]
    [InlineData("HEADER\ntest,src,pkg,1,p,,f,1,1,1,CC0-1.0,,,SHA,SHA\n", 2, "*split 'test'*")]
    [InlineData("HEADER\ntrain,src,pkg,1,p,,f,0,1,1,CC0-1.0,,,SHA,SHA\n", 2, "*'width' is '0'*")]
    [InlineData("HEADER\ntrain,src,pkg,1,p,,f,1,1,2,CC0-1.0,,,SHA,SHA\n", 2, "*scale '2'*")]
    [InlineData("HEADER\ntrain,src,pkg,1,p,,f,1,1,1,CC0-1.0,,,SHA,ABC\n", 2, "*'sha256' is not 64 lower-case hex digits*")]
    [InlineData("HEADER\ntrain,src,pkg,,p,,f,1,1,1,CC0-1.0,,,SHA,SHA\n", 2, "*'version' is empty*")]
    [InlineData("", 1, "*empty*")]
    public void Malformed_files_are_refused_with_the_line_number(string text, int line, string message)
    {
        var header = string.Join(',', PhotoManifest.Columns);
        var sha = new string('0', 64);
        text = text.Replace("HEADER", header, StringComparison.Ordinal).Replace("SHA", sha, StringComparison.Ordinal);

        var act = () => PhotoManifest.Parse(new StringReader(text), "m.csv");

        act.Should().Throw<PhotoManifestException>().WithMessage(message).Which.Line.Should().Be(line);
    }

    [Fact]
    public void Two_rows_for_the_same_photo_are_refused()
    {
        var act = () => new PhotoManifest([Row("a"), Row("a") with { File = "train/src/other.png" }]);

        act.Should().Throw<ArgumentException>().WithMessage("*pkg:usr/share/a.jpg appears 2 times*");
    }

    [Fact]
    public void Two_rows_writing_the_same_file_are_refused()
    {
        var act = () => new PhotoManifest([Row("a"), Row("b") with { File = "train/src/a.png" }]);

        act.Should().Throw<ArgumentException>().WithMessage("*'train/src/a.png' is named by 2 photos*");
    }
}
