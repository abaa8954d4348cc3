using System.Text;
using TsdSr.Data.PhotoPool.Archives;

namespace TsdSr.Tests.Data.PhotoPool.Archives;

public sealed class RccArchiveTests
{
    private static readonly byte[] Readme = Encoding.UTF8.GetBytes("Copyright: someone\nLicense: CC0-1.0\nFiles: a.webp\n");
    private static readonly byte[] Photo = Enumerable.Range(0, 3000).Select(i => (byte)(i * 7)).ToArray();

    private static RccWriter.Image Sample(int version) => RccWriter.Write(
        version,
        new RccWriter.File("gcompris/src/activities/erase/resource/README", Readme, Zlib: true),
        new RccWriter.File("gcompris/src/activities/erase/resource/a.webp", Photo),
        new RccWriter.File("gcompris/src/activities/erase/resource/deep/b.webp", [1, 2, 3]),
        new RccWriter.File("top.txt", Encoding.UTF8.GetBytes("top")));

    private static RccArchive Parse(RccWriter.Image image, ArchiveLimits? limits = null) => RccArchive.Parse(image.Bytes, "test.rcc", limits);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Every_format_version_lists_nested_files_by_full_path_and_reads_them_back(int version)
    {
        var archive = Parse(Sample(version));

        archive.Version.Should().Be(version);
        archive.Entries.Select(e => e.Path).Should().Equal(
            "gcompris/src/activities/erase/resource/README",
            "gcompris/src/activities/erase/resource/a.webp",
            "gcompris/src/activities/erase/resource/deep/b.webp",
            "top.txt");
        archive.Read(archive.Find("gcompris/src/activities/erase/resource/a.webp")!).Should().Equal(Photo);
        archive.Read(archive.Find("gcompris/src/activities/erase/resource/deep/b.webp")!).Should().Equal(1, 2, 3);
        archive.Read(archive.Find("top.txt")!).Should().Equal(Encoding.UTF8.GetBytes("top"));
    }

    [Fact]
    public void Zlib_entries_are_inflated_and_plain_entries_are_returned_as_stored()
    {
        var archive = Parse(Sample(3));
        var readme = archive.Find("gcompris/src/activities/erase/resource/README")!;
        var photo = archive.Find("gcompris/src/activities/erase/resource/a.webp")!;

        readme.Compression.Should().Be(RccCompression.Zlib);
        readme.StoredSize.Should().Be(RccWriter.QCompress(Readme).Length);
        archive.Read(readme).Should().Equal(Readme);
        photo.Compression.Should().Be(RccCompression.None);
        photo.StoredSize.Should().Be(Photo.Length);
    }

    [Fact]
    public void Directories_are_not_listed_as_entries_and_a_missing_path_is_not_found()
    {
        var archive = Parse(Sample(2));

        archive.Find("gcompris/src/activities/erase/resource").Should().BeNull();
        archive.Find("nothing.webp").Should().BeNull();
    }

    [Fact]
    public void A_file_that_does_not_start_with_qres_is_refused()
    {
        var image = Sample(2).With(b => b[0] = (byte)'x');

        var act = () => Parse(image);

        act.Should().Throw<ArchiveFormatException>().WithMessage("*does not start with 'qres'*");
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(4u)]
    public void Unknown_format_versions_are_refused(uint version)
    {
        var image = Sample(2).With(b => RccWriter.PutU32(b, 4, version));

        var act = () => Parse(image);

        act.Should().Throw<ArchiveFormatException>().WithMessage($"*format version {version} is not supported*");
    }

    [Theory]
    [InlineData(3)]
    [InlineData(19)]
    [InlineData(40)]
    [InlineData(-1)]
    [InlineData(-9)]
    public void A_truncated_archive_is_an_archive_format_exception_not_an_out_of_range_read(int keep)
    {
        var full = Sample(2).Bytes;
        var cut = full[..(keep >= 0 ? keep : full.Length + keep)];

        var act = () => RccArchive.Parse(cut, "cut.rcc");

        act.Should().Throw<ArchiveFormatException>().Which.Archive.Should().Be("cut.rcc");
    }

    [Fact]
    public void A_directory_whose_children_lead_back_to_itself_is_reported_as_a_cycle()
    {
        var image = Sample(2);
        // Point the "gcompris" folder's first child at the root (node 0).
        var patched = image.With(b => RccWriter.PutU32(b, image.NodeAt("gcompris") + 10, 0));

        var act = () => Parse(patched);

        act.Should().Throw<ArchiveFormatException>().WithMessage("*cycle*");
    }

    [Fact]
    public void A_huge_child_count_is_refused_before_it_is_walked()
    {
        var image = Sample(2);
        var patched = image.With(b => RccWriter.PutU32(b, image.NodeAt("") + 6, uint.MaxValue));

        var act = () => Parse(patched);

        act.Should().Throw<ArchiveFormatException>().WithMessage("*declares 4294967295 children*");
    }

    [Fact]
    public void Child_indices_past_the_node_array_are_out_of_range()
    {
        var image = Sample(2);
        var patched = image.With(b => RccWriter.PutU32(b, image.NodeAt("gcompris") + 10, 1_000_000));

        var act = () => Parse(patched);

        act.Should().Throw<ArchiveFormatException>().WithMessage("*tree node 1000000*outside*");
    }

    [Fact]
    public void A_data_size_running_past_the_end_is_refused_when_indexing()
    {
        var image = Sample(1);
        // The first data record is the README's size field.
        var patched = image.With(b => RccWriter.PutU32(b, image.DataOffset, 0x7fff_0000));

        var act = () => Parse(patched);

        act.Should().Throw<ArchiveFormatException>().WithMessage("*data of 'gcompris/src/activities/erase/resource/README'*outside*");
    }

    [Fact]
    public void A_zlib_entry_that_inflates_to_less_than_its_declared_size_is_refused()
    {
        var image = Sample(2);
        // The qCompress prefix follows the 4-byte stored size of the first data record.
        var patched = image.With(b => RccWriter.PutU32(b, image.DataOffset + 4, (uint)Readme.Length + 10));
        var archive = Parse(patched);

        var act = () => archive.Read(archive.Find("gcompris/src/activities/erase/resource/README")!);

        act.Should().Throw<ArchiveFormatException>().WithMessage($"*inflates to {Readme.Length} bytes, fewer than the {Readme.Length + 10} declared*");
    }

    [Fact]
    public void A_zlib_entry_that_inflates_to_more_than_its_declared_size_is_refused()
    {
        var image = Sample(2);
        var patched = image.With(b => RccWriter.PutU32(b, image.DataOffset + 4, (uint)Readme.Length - 1));
        var archive = Parse(patched);

        var act = () => archive.Read(archive.Find("gcompris/src/activities/erase/resource/README")!);

        act.Should().Throw<ArchiveFormatException>().WithMessage("*more than the*declared*");
    }

    [Fact]
    public void Corrupt_zlib_data_is_an_archive_format_exception()
    {
        var image = Sample(2);
        // Overwrite the zlib header bytes after the size prefix.
        var patched = image.With(b => { b[image.DataOffset + 8] = 0xff; b[image.DataOffset + 9] = 0xff; });
        var archive = Parse(patched);

        var act = () => archive.Read(archive.Find("gcompris/src/activities/erase/resource/README")!);

        act.Should().Throw<ArchiveFormatException>().WithMessage("*not a valid zlib stream*");
    }

    [Fact]
    public void A_declared_size_over_the_entry_limit_is_refused_before_allocating()
    {
        var image = Sample(2);
        var patched = image.With(b => RccWriter.PutU32(b, image.DataOffset + 4, uint.MaxValue));
        var archive = Parse(patched, new ArchiveLimits { MaxEntryBytes = 1 << 20 });

        var act = () => archive.Read(archive.Find("gcompris/src/activities/erase/resource/README")!);

        act.Should().Throw<ArchiveFormatException>().WithMessage("*declares 4294967295 uncompressed bytes*limit is 1048576*");
    }

    [Fact]
    public void Zstd_entries_are_listed_but_reading_them_says_they_are_not_supported()
    {
        var image = Sample(2);
        var patched = image.With(b => RccWriter.PutU16(b, image.NodeAt("top.txt") + 4, 4));
        var archive = Parse(patched);
        var entry = archive.Find("top.txt")!;

        entry.Compression.Should().Be(RccCompression.Zstd);
        var act = () => archive.Read(entry);
        act.Should().Throw<ArchiveFormatException>().WithMessage("*zstd*not support*");
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused()
    {
        var image = RccWriter.Write(2, new RccWriter.File("a/b/c/d/e/f.txt", [1]));

        var act = () => Parse(image, new ArchiveLimits { MaxDepth = 4 });

        act.Should().Throw<ArchiveFormatException>().WithMessage("*deeper than 4 levels*");
        Parse(image, new ArchiveLimits { MaxDepth = 6 }).Entries.Should().ContainSingle();
    }

    [Fact]
    public void A_name_that_would_escape_its_folder_is_refused()
    {
        var image = RccWriter.Write(2, new RccWriter.File("ab/cd.txt", [1]));
        // Rewrite the two UTF-16 characters of "ab" (name offset 0) as "..".
        var patched = image.With(b => { b[image.NamesOffset + 7] = (byte)'.'; b[image.NamesOffset + 9] = (byte)'.'; });

        var act = () => Parse(patched);

        act.Should().Throw<ArchiveFormatException>().WithMessage("*invalid entry name '..'*");
    }

    [Fact]
    public void An_archive_over_the_size_limit_is_refused_when_opened_from_disk()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, Sample(2).Bytes);
            var act = () => RccArchive.Open(path, new ArchiveLimits { MaxArchiveBytes = 10 });
            act.Should().Throw<ArchiveFormatException>().WithMessage("*over the limit of 10*");
            RccArchive.Open(path).Entries.Should().HaveCount(4);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
