using TsdSr.Data.PhotoPool;
using TsdSr.Data.PhotoPool.Building;
using TsdSr.Data.PhotoPool.Manifest;
using TsdSr.Imaging;
using TsdSr.Imaging.Resampling;

namespace TsdSr.Tests.Data.PhotoPool.Building;

public sealed class PhotoPoolBuilderTests : IDisposable
{
    private readonly ExtractedFolder folder = new();

    private PhotoPoolOptions Options(bool optional = true, params string[] evaluation) => new()
    {
        ExtractedRoot = folder.Extracted,
        OutputRoot = folder.Output,
        Catalogue = ExtractedFolder.Catalogue,
        IncludeOptional = optional,
        EvaluationFolders = evaluation,
    };

    private PhotoManifestRow RowOf(PhotoPoolResult result, string file) => result.Manifest.Rows.Single(r => r.File == file);

    [Fact]
    public void Each_photo_is_written_to_its_split_and_source_folder_and_listed_with_its_provenance()
    {
        var result = PhotoPoolBuilder.Build(Options());

        result.Failures.Should().BeEmpty();
        result.Manifest.Rows.Select(r => r.File).Should().Equal(
            "train/eet/e.png", "train/files/a.png", "train/files/b.png", "train/rcc/x.png", "heldout/rcc/y.png");
        var a = RowOf(result, "train/files/a.png");
        a.Key.Should().Be(new PhotoKey("pkg-files", "usr/share/pics/a.png"));
        a.Version.Should().Be("1.0-1");
        a.Licence.Should().Be(new PhotoLicence("CC0-1.0", "Test"));
        a.Sha256.Should().Be(PoolImage.Sha256File(Path.Combine(folder.Output, "train/files/a.png")));
        a.SourceSha256.Should().Be(PoolImage.Sha256File(folder.PathOf("pkg-files", "usr/share/pics/a.png")));
        File.ReadAllText(Path.Combine(folder.Output, PhotoPoolBuilder.ManifestFileName)).Should().Be(result.Manifest.Format());
    }

    [Fact]
    public void Half_scale_sources_are_downscaled_with_pillows_bicubic_and_odd_sides_round_down()
    {
        var result = PhotoPoolBuilder.Build(Options());

        var b = RowOf(result, "train/files/b.png");
        (b.Width, b.Height, b.Scale).Should().Be((32, 23, 0.5));
        var written = ImageCodec.Load(Path.Combine(folder.Output, "train/files/b.png"));
        var expected = PillowResize.Bicubic(DataTestImages.Texture(65, 47, 2), 32, 23);
        written.Pixels.Should().Equal(expected.Pixels);
    }

    [Fact]
    public void Archive_entries_carry_their_inner_path_and_the_licence_from_the_readme_beside_them()
    {
        var result = PhotoPoolBuilder.Build(Options());

        var x = RowOf(result, "train/rcc/x.png");
        x.Key.Should().Be(new PhotoKey("pkg-rcc", "usr/share/r.rcc", "res/x.png"));
        x.Version.Should().Be("2:3.1-2");
        x.Licence.Should().Be(new PhotoLicence("public-domain", "Jane Doe", "https://example.org/x"));
        (x.Width, x.Height).Should().Be((30, 20));
        var y = RowOf(result, "heldout/rcc/y.png");
        y.Split.Should().Be(PhotoSplit.Heldout);
        y.Licence.Licence.Should().Be("CC0-1.0");
    }

    [Fact]
    public void Only_the_largest_picture_of_an_edje_archive_is_kept_and_named_after_the_archive()
    {
        var result = PhotoPoolBuilder.Build(Options());

        var e = RowOf(result, "train/eet/e.png");
        e.Key.Entry.Should().Be("edje/images/0");
        (e.Width, e.Height).Should().Be((40, 30));
        result.Manifest.Rows.Should().ContainSingle(r => r.Source == "eet");
    }

    [Fact]
    public void Excluded_photos_are_reported_with_their_reason_and_not_written()
    {
        var result = PhotoPoolBuilder.Build(Options());

        result.Excluded.Should().ContainSingle().Which.Should().Be(new ExcludedPhoto("files", new PhotoKey("pkg-files", "usr/share/pics/c.png"), "render"));
        Directory.EnumerateFiles(folder.Output, "c.png", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [Fact]
    public void Optional_sources_are_skipped_unless_asked_for_and_a_missing_required_package_fails()
    {
        Directory.Delete(Path.Combine(folder.Extracted, "pkg-rcc"), true);

        var result = PhotoPoolBuilder.Build(Options(optional: false));

        result.Sources.Select(s => (s.Source.Id, s.Status)).Should().Equal(("files", SourceStatus.Built), ("rcc", SourceStatus.Failed), ("eet", SourceStatus.Skipped));
        result.Failures.Should().ContainSingle().Which.Message.Should().Contain("package 'pkg-rcc' is not extracted");
        result.BuiltSources.Should().BeEquivalentTo("files");
        result.Manifest.Rows.Should().OnlyContain(r => r.Source == "files");
    }

    [Fact]
    public void A_package_without_its_version_file_counts_as_not_extracted()
    {
        File.Delete(Path.Combine(folder.Extracted, "pkg-files.version"));

        var result = PhotoPoolBuilder.Build(Options());

        result.Sources.Single(s => s.Source.Id == "files").Status.Should().Be(SourceStatus.Failed);
    }

    [Fact]
    public void A_corrupt_archive_fails_its_source_and_the_other_sources_are_still_built()
    {
        folder.Write("pkg-rcc", "usr/share/r.rcc", "qres-but-nothing-else"u8.ToArray());

        var result = PhotoPoolBuilder.Build(Options());

        result.Failures.Should().ContainSingle().Which.Should().Match<PhotoFailure>(f => f.Source == "rcc" && f.Key == null && f.Message.Contains("r.rcc"));
        result.Manifest.Rows.Select(r => r.Source).Should().BeEquivalentTo(["files", "files", "eet"]);
    }

    [Fact]
    public void A_photo_with_the_same_bytes_as_an_evaluation_image_is_refused()
    {
        var evaluation = Path.Combine(folder.Root, "eval");
        Directory.CreateDirectory(evaluation);
        File.Copy(folder.PathOf("pkg-files", "usr/share/pics/a.png"), Path.Combine(evaluation, "Canon_001_LR4.png"));

        var result = PhotoPoolBuilder.Build(Options(true, evaluation));

        var failure = result.Failures.Should().ContainSingle().Subject;
        failure.Key!.Value.Path.Should().Be("usr/share/pics/a.png");
        failure.Message.Should().Contain("bytes equal the evaluation image").And.Contain("Canon_001_LR4.png");
        File.Exists(Path.Combine(folder.Output, "train/files/a.png")).Should().BeFalse();
        result.Manifest.Rows.Should().NotContain(r => r.Key.Path == "usr/share/pics/a.png");
    }

    [Fact]
    public void A_photo_with_the_same_pixels_as_an_evaluation_image_in_another_encoding_is_refused()
    {
        var evaluation = Path.Combine(folder.Root, "eval");
        var same = DataTestImages.Texture(30, 20, 4);
        // An RGBA PNG of the same (opaque) pixels: other bytes, same picture.
        ImageCodec.SavePng(new RgbImage(same.Width, same.Height, same.Pixels, Enumerable.Repeat((byte)255, 600).ToArray()), Path.Combine(evaluation, "Nikon_001_LR4.png"));

        var result = PhotoPoolBuilder.Build(Options(true, evaluation));

        result.Failures.Should().ContainSingle().Which.Message.Should().Contain("pixels equal the evaluation image");
        result.Manifest.Rows.Should().NotContain(r => r.Key.Entry == "res/x.png");
    }

    [Fact]
    public void A_second_build_keeps_unchanged_photos_and_rewrites_a_damaged_one()
    {
        PhotoPoolBuilder.Build(Options());
        var damaged = Path.Combine(folder.Output, "train/files/a.png");
        File.WriteAllBytes(damaged, [1, 2, 3]);

        var second = PhotoPoolBuilder.Build(Options());

        second.Written.Should().Be(1);
        second.Kept.Should().Be(4);
        PoolImage.Sha256File(damaged).Should().Be(RowOf(second, "train/files/a.png").Sha256);
    }

    [Fact]
    public void Files_the_new_manifest_does_not_list_are_removed_from_the_split_folders_only()
    {
        PhotoPoolBuilder.Build(Options());
        var stray = Path.Combine(folder.Output, "notes", "keep.png");
        Directory.CreateDirectory(Path.GetDirectoryName(stray)!);
        File.WriteAllBytes(stray, [0]);
        var narrower = ExtractedFolder.Catalogue with
        {
            Exclusions = [.. ExtractedFolder.Catalogue.Exclusions, new PhotoExclusion("pkg-files", "usr/share/pics/a.png", null, "blurry")],
        };

        var second = PhotoPoolBuilder.Build(Options() with { Catalogue = narrower });

        second.Removed.Should().Equal("train/files/a.png");
        File.Exists(Path.Combine(folder.Output, "train/files/a.png")).Should().BeFalse();
        File.Exists(stray).Should().BeTrue();
    }

    [Fact]
    public void Contact_sheets_show_every_matched_photo_excluded_ones_included()
    {
        var sheets = Path.Combine(folder.Root, "sheets");

        PhotoPoolBuilder.Build(Options() with { ContactSheetFolder = sheets });

        var index = File.ReadAllLines(Path.Combine(sheets, "files.txt"));
        index.Should().HaveCount(4);
        index[3].Should().Contain("excluded").And.Contain("c").And.Contain("render");
        ImageCodec.Identify(Path.Combine(sheets, "files.png")).Width.Should().Be(3 * (192 + 12));
    }

    public void Dispose() => folder.Dispose();
}
