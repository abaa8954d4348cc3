using TsdSr.Data.PhotoPool;
using TsdSr.Data.PhotoPool.Building;
using TsdSr.Data.PhotoPool.Manifest;
using TsdSr.Tests.Training;

namespace TsdSr.Tests.Data.PhotoPool;

/// <summary>The committed manifest (data/photo-pool/manifest.csv) agrees with the catalogue and with the rules of docs/photo-pool.md.</summary>
public sealed class CommittedManifestTests
{
    private static readonly PhotoManifest Manifest = PhotoManifest.Read(Path.Combine(TrainingTestSupport.RepoRoot(), "data", "photo-pool", "manifest.csv"));
    private static readonly PhotoCatalogue Catalogue = PhotoCatalogue.Default;

    [Fact]
    public void Every_row_belongs_to_a_catalogue_source_of_its_package_at_that_sources_scale()
    {
        var sources = Catalogue.Sources.ToDictionary(s => s.Id);

        Manifest.Rows.Should().NotBeEmpty().And.OnlyContain(r =>
            sources.ContainsKey(r.Source) && sources[r.Source].Package == r.Key.Package && sources[r.Source].Scale == r.Scale);
    }

    [Fact]
    public void No_excluded_photo_is_listed()
    {
        Manifest.Rows.Where(r => Catalogue.ExclusionFor(r.Key) is not null).Should().BeEmpty();
    }

    [Fact]
    public void The_heldout_split_is_exactly_the_catalogues_held_out_photos_and_heldout_sources()
    {
        var heldoutSources = Catalogue.Sources.Where(s => s.Split == PhotoSplit.Heldout).Select(s => s.Id).ToHashSet();
        var heldout = Manifest.Rows.Where(r => r.Split == PhotoSplit.Heldout).ToList();

        heldout.Where(r => !heldoutSources.Contains(r.Source)).Select(r => r.Key).Should().BeEquivalentTo(Catalogue.HeldOut);
        heldout.Should().OnlyContain(r => r.File.StartsWith("heldout/", StringComparison.Ordinal));
        Manifest.Rows.Where(r => r.Split == PhotoSplit.Train).Should().OnlyContain(r => r.File.StartsWith("train/", StringComparison.Ordinal));
    }

    [Fact]
    public void Held_out_photos_are_public_domain_or_cc0_and_every_photo_has_a_stated_licence()
    {
        Manifest.Rows.Where(r => r.Split == PhotoSplit.Heldout).Should().OnlyContain(r => r.Licence.Licence == "public-domain" || r.Licence.Licence == "CC0-1.0");
        Manifest.Rows.Should().OnlyContain(r => r.Licence.Licence != PhotoLicence.Unknown.Licence);
    }

    [Fact]
    public void No_pool_photo_has_the_bytes_of_an_evaluation_image()
    {
        var evaluation = Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "data", "realsr_subset"), "*.png", SearchOption.AllDirectories)
            .Select(PoolImage.Sha256File)
            .ToHashSet();

        evaluation.Should().HaveCountGreaterThan(50);
        Manifest.Rows.Where(r => evaluation.Contains(r.Sha256) || evaluation.Contains(r.SourceSha256)).Should().BeEmpty();
    }
}
