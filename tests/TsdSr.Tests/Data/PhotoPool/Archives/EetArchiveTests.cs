using System.Text;
using TsdSr.Data.PhotoPool.Archives;

namespace TsdSr.Tests.Data.PhotoPool.Archives;

public sealed class EetArchiveTests
{
    private static readonly byte[] Jpeg = Enumerable.Range(0, 5000).Select(i => (byte)(i * 13)).ToArray();
    private static readonly byte[] Small = [0xff, 0xd8, 0xff, 0xe0];
    private static readonly byte[] Script = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("collections { group { name: e/desktop/background; } }\n", 20)));

    private static byte[] Sample(int dictionary = 3) => EetWriter.Write(
    [
        new EetWriter.Entry("edje/images/1", Small),
        new EetWriter.Entry("edje/images/0", Jpeg),
        new EetWriter.Entry("edje/file", Script, Flags: 1),
    ], dictionary);

    private static EetArchive Parse(byte[] bytes, ArchiveLimits? limits = null) => EetArchive.Parse(bytes, "test.edj", limits);

    [Fact]
    public void Entries_are_listed_by_name_and_stored_and_zlib_entries_read_back()
    {
        var archive = Parse(Sample());

        archive.Entries.Select(e => e.Name).Should().Equal("edje/file", "edje/images/0", "edje/images/1");
        var image = archive.Find("edje/images/0")!;
        image.Compression.Should().Be(EetCompression.None);
        image.Size.Should().Be(Jpeg.Length);
        archive.Read(image).Should().Equal(Jpeg);
        var file = archive.Find("edje/file")!;
        file.Compression.Should().Be(EetCompression.Zlib);
        file.Size.Should().Be(Script.Length);
        file.StoredSize.Should().BeLessThan(Script.Length);
        archive.Read(file).Should().Equal(Script);
    }

    [Fact]
    public void The_dictionary_records_are_skipped_whatever_their_number()
    {
        Parse(Sample(dictionary: 0)).Read(Parse(Sample(dictionary: 0)).Find("edje/images/1")!).Should().Equal(Small);
        Parse(Sample(dictionary: 50)).Read(Parse(Sample(dictionary: 50)).Find("edje/images/1")!).Should().Equal(Small);
    }

    [Fact]
    public void A_wrong_magic_number_is_refused()
    {
        var bytes = Sample();
        bytes[3] ^= 1;

        var act = () => Parse(bytes);

        act.Should().Throw<ArchiveFormatException>().WithMessage("*not an Eet archive*0x1ee70f42*");
    }

    [Theory]
    [InlineData(8)]
    [InlineData(30)]
    [InlineData(100)]
    [InlineData(-1)]
    public void A_truncated_archive_is_an_archive_format_exception(int keep)
    {
        var full = Sample();
        var cut = full[..(keep >= 0 ? keep : full.Length + keep)];

        var act = () => EetArchive.Parse(cut, "cut.edj");

        act.Should().Throw<ArchiveFormatException>().Which.Archive.Should().Be("cut.edj");
    }

    [Fact]
    public void Negative_counts_are_refused()
    {
        var bytes = Sample();
        EetWriter.Put(bytes, 4, -1);

        var act = () => Parse(bytes);

        act.Should().Throw<ArchiveFormatException>().WithMessage("*negative entry count (-1)*");
    }

    [Fact]
    public void An_entry_count_over_the_limit_is_refused_before_reading_the_table()
    {
        var bytes = Sample();
        EetWriter.Put(bytes, 4, 2_000_000);

        var act = () => Parse(bytes, new ArchiveLimits { MaxEntries = 1000 });

        act.Should().Throw<ArchiveFormatException>().WithMessage("*2000000 entries*limit is 1000*");
    }

    [Fact]
    public void A_name_outside_the_file_is_refused()
    {
        var bytes = Sample();
        EetWriter.Put(bytes, EetWriter.RecordAt(1) + 12, bytes.Length - 3);

        var act = () => Parse(bytes);

        act.Should().Throw<ArchiveFormatException>().WithMessage("*name of entry 1*outside*");
    }

    [Fact]
    public void Data_running_past_the_end_is_refused()
    {
        var bytes = Sample();
        EetWriter.Put(bytes, EetWriter.RecordAt(1) + 4, int.MaxValue);

        var act = () => Parse(bytes);

        act.Should().Throw<ArchiveFormatException>().WithMessage("*data of 'edje/images/0'*outside*");
    }

    [Fact]
    public void A_name_with_an_embedded_nul_is_refused()
    {
        var bytes = Sample();
        // Entry 0's name "edje/images/1\0" starts right after the tables; put a NUL in its middle.
        int nameAt = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(EetWriter.RecordAt(0) + 12));
        bytes[nameAt + 4] = 0;

        var act = () => Parse(bytes);

        act.Should().Throw<ArchiveFormatException>().WithMessage("*entry 0 has an empty name or one with a NUL inside*");
    }

    [Theory]
    [InlineData(1 | (10 << 3), "LZ4")]
    [InlineData(2, "ciphered")]
    [InlineData(4, "alias")]
    public void Entries_this_reader_cannot_decode_are_listed_but_not_read(int flags, string reason)
    {
        var bytes = EetWriter.Write([new EetWriter.Entry("x", Small, flags)]);
        var archive = Parse(bytes);
        var entry = archive.Entries.Should().ContainSingle().Subject;

        var act = () => archive.Read(entry);

        act.Should().Throw<ArchiveFormatException>().WithMessage($"*{reason}*");
    }

    [Fact]
    public void A_zlib_entry_whose_declared_size_is_wrong_is_refused()
    {
        var bytes = Sample();
        // Entry 2 is edje/file (zlib); its declared size is at +8.
        EetWriter.Put(bytes, EetWriter.RecordAt(2) + 8, Script.Length + 1);
        var archive = Parse(bytes);

        var act = () => archive.Read(archive.Find("edje/file")!);

        act.Should().Throw<ArchiveFormatException>().WithMessage("*fewer than*declared*");
    }
}
