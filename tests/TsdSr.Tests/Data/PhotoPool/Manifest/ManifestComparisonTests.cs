using TsdSr.Data.PhotoPool;
using TsdSr.Data.PhotoPool.Manifest;
using static TsdSr.Tests.Data.PhotoPool.Manifest.ManifestRows;

namespace TsdSr.Tests.Data.PhotoPool.Manifest;

public sealed class ManifestComparisonTests
{
    private static readonly PhotoManifest Expected = new([Row("a"), Row("bb"), Row("ccc", source: "optional")]);

    [Fact]
    public void Identical_manifests_have_no_differences()
    {
        ManifestComparison.Compare(Expected, new PhotoManifest(Expected.Rows)).Should().BeEmpty();
    }

    [Fact]
    public void A_different_png_hash_is_reported_as_a_change_naming_the_column_and_both_values()
    {
        var built = new PhotoManifest([Row("a"), Row("bb") with { Sha256 = new string('c', 64) }, Row("ccc", source: "optional")]);

        var difference = ManifestComparison.Compare(Expected, built).Should().ContainSingle().Subject;

        difference.Kind.Should().Be(ManifestDifferenceKind.Changed);
        difference.Key.Path.Should().Be("usr/share/bb.jpg");
        difference.Detail.Should().Be($"sha256: {new string('b', 63)}2 → {new string('c', 64)}");
    }

    [Fact]
    public void A_new_package_version_and_licence_are_reported_together()
    {
        var built = new PhotoManifest([Row("a") with { Version = "1:2.1-1", Licence = new PhotoLicence("CC-BY-4.0", "A. Photographer", "https://example.org/p") }, Row("bb"), Row("ccc", source: "optional")]);

        ManifestComparison.Compare(Expected, built).Should().ContainSingle()
            .Which.Detail.Should().Be("version: 1:2.0-1 → 1:2.1-1; licence: CC0-1.0 → CC-BY-4.0");
    }

    [Fact]
    public void Photos_missing_from_the_build_and_photos_not_in_the_manifest_are_both_listed()
    {
        var built = new PhotoManifest([Row("a"), Row("dddd"), Row("ccc", source: "optional")]);

        var differences = ManifestComparison.Compare(Expected, built);

        differences.Select(d => (d.Kind, d.Key.Path)).Should().Equal(
            (ManifestDifferenceKind.Missing, "usr/share/bb.jpg"),
            (ManifestDifferenceKind.Unexpected, "usr/share/dddd.jpg"));
    }

    [Fact]
    public void Rows_of_sources_that_were_not_built_are_not_missing()
    {
        var built = new PhotoManifest([Row("a"), Row("bb")]);

        ManifestComparison.Compare(Expected, built, new HashSet<string> { "src" }).Should().BeEmpty();
        ManifestComparison.Compare(Expected, built).Should().ContainSingle().Which.Kind.Should().Be(ManifestDifferenceKind.Missing);
    }
}
