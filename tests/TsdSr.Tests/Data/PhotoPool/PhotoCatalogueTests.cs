using TsdSr.Data.PhotoPool;

namespace TsdSr.Tests.Data.PhotoPool;

public sealed class PhotoCatalogueTests
{
    private static readonly PhotoCatalogue Catalogue = PhotoCatalogue.Default;

    private static PhotoSource Source(string id, string package = "pkg") => new() { Id = id, Package = package, Paths = ["usr/share/x/*.jpg"], FixedLicence = new PhotoLicence("CC0-1.0") };

    [Fact]
    public void The_default_catalogue_is_consistent()
    {
        Catalogue.Validate().Should().BeEmpty();
    }

    [Fact]
    public void Every_default_exclusion_gives_a_reason_and_names_a_package_a_source_uses()
    {
        var packages = Catalogue.Sources.Select(s => s.Package).ToHashSet();

        Catalogue.Exclusions.Should().NotBeEmpty().And.OnlyContain(e => e.Reason.Length >= 6 && packages.Contains(e.Package));
    }

    [Fact]
    public void Exclusions_apply_to_the_photos_they_name_and_to_no_others()
    {
        var umang = new PhotoKey("lomiri-wallpapers-16.04", "usr/share/backgrounds/umang_by_Abhishek_Mudgal.jpg");
        var bridge = new PhotoKey("lomiri-wallpapers-16.04", "usr/share/backgrounds/Bridge_by_Sander_Klootwijk.jpg");
        var sameNameOtherPackage = umang with { Package = "lomiri-wallpapers-20.04" };
        const string rcc = "usr/share/gcompris-qt/rcc/explore_world_music.rcc";
        var orchestra = new PhotoKey("gcompris-qt-data", rcc, "gcompris/src/activities/explore_world_music/resource/music/orchestra.webp");
        var drums = orchestra with { Entry = "gcompris/src/activities/explore_world_music/resource/music/africa.webp" };

        Catalogue.ExclusionFor(umang)!.Reason.Should().Be("render");
        Catalogue.ExclusionFor(orchestra)!.Reason.Should().Contain("identifiable people");
        Catalogue.ExclusionFor(bridge).Should().BeNull();
        Catalogue.ExclusionFor(sameNameOtherPackage).Should().BeNull();
        Catalogue.ExclusionFor(drums).Should().BeNull();
    }

    [Fact]
    public void An_exclusion_without_an_entry_covers_every_entry_of_its_archive_but_one_with_an_entry_never_covers_a_plain_file()
    {
        var wholeArchive = new PhotoExclusion("enlightenment-data", "usr/share/enlightenment/data/backgrounds/Dunes.edj", null, "illustration");
        var oneEntry = new PhotoExclusion("pkg", "usr/a.rcc", "x/*.webp", "render");

        wholeArchive.Matches(new PhotoKey("enlightenment-data", "usr/share/enlightenment/data/backgrounds/Dunes.edj", "edje/images/0")).Should().BeTrue();
        wholeArchive.Matches(new PhotoKey("enlightenment-data", "usr/share/enlightenment/data/backgrounds/Bamboo.edj", "edje/images/0")).Should().BeFalse();
        oneEntry.Matches(new PhotoKey("pkg", "usr/a.rcc", "x/y.webp")).Should().BeTrue();
        oneEntry.Matches(new PhotoKey("pkg", "usr/a.rcc")).Should().BeFalse();
    }

    [Fact]
    public void Held_out_photos_go_to_the_heldout_split_and_others_to_their_source_split()
    {
        var gcompris = Catalogue.Sources.Single(s => s.Id == "gcompris-erase");
        var skimage = Catalogue.Sources.Single(s => s.Id == "skimage");
        var kingfisher = new PhotoKey("gcompris-qt-data", "usr/share/gcompris-qt/rcc/erase.rcc", "gcompris/src/activities/erase/resource/kingfisher.webp");

        Catalogue.SplitFor(gcompris, kingfisher).Should().Be(PhotoSplit.Heldout);
        Catalogue.SplitFor(gcompris, kingfisher with { Entry = "gcompris/src/activities/erase/resource/alpaca.webp" }).Should().Be(PhotoSplit.Train);
        Catalogue.SplitFor(skimage, new PhotoKey("python3-skimage", "usr/lib/python3/dist-packages/skimage/data/coffee.png")).Should().Be(PhotoSplit.Heldout);
        Catalogue.HeldOut.Should().HaveCount(10);
    }

    [Fact]
    public void Validation_names_each_inconsistency()
    {
        var held = new PhotoKey("pkg", "usr/share/x/a.jpg");
        var bad = new PhotoCatalogue
        {
            Sources = [Source("dup"), Source("dup") with { Scale = 0.25 }, Source("arch") with { Container = PhotoContainer.Rcc }, Source("no licence") with { FixedLicence = null }],
            Exclusions = [new PhotoExclusion("pkg", "usr/share/x/a.jpg", null, "render"), new PhotoExclusion("other", "x", null, " ")],
            HeldOut = [held, new PhotoKey("nowhere", "x")],
        };

        bad.Validate().Should().BeEquivalentTo(
            "source id 'dup' is used 2 times.",
            "source 'dup': scale 0.25 is neither 1 nor 0.5.",
            "source 'arch': archives need an entry pattern, plain files must not have one.",
            "source id 'no licence' must be non-empty ASCII letters, digits, '-', '_' or '.'.",
            "source 'no licence': a fixed licence rule needs FixedLicence.",
            "exclusion of other:x names a package no source uses.",
            "exclusion of other:x has no reason.",
            "held-out photo nowhere:x names a package no source uses.",
            "held-out photo pkg:usr/share/x/a.jpg is also excluded.");
    }
}
