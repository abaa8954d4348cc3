using TsdSr.Cli.Commands;
using TsdSr.Data.PhotoPool.Manifest;
using TsdSr.Tests.Data.PhotoPool.Building;

namespace TsdSr.Tests.Cli.Commands;

public sealed class PhotosCommandTests : IDisposable
{
    private readonly ExtractedFolder folder = new();
    private readonly StringWriter output = new();
    private readonly StringWriter error = new();

    private string ManifestPath => Path.Combine(folder.Root, "committed.csv");

    private int Run(string? manifest = null, bool verify = false, string? extracted = null) => PhotosRunner.Run(
        new PhotosRequest(extracted ?? folder.Extracted, folder.Output, manifest, verify, Optional: true, [], null),
        output,
        error,
        CancellationToken.None,
        ExtractedFolder.Catalogue);

    [Fact]
    public void Without_verify_the_manifest_file_is_written_and_the_summary_printed()
    {
        Run(ManifestPath).Should().Be(0);

        PhotoManifest.Read(ManifestPath).Rows.Should().HaveCount(5);
        output.ToString().Should().Contain("5 photos").And.Contain("excluded (1):").And.Contain("pkg-files:usr/share/pics/c.png: render").And.Contain("updated");
    }

    [Fact]
    public void Verify_against_an_identical_manifest_succeeds()
    {
        Run(ManifestPath).Should().Be(0);

        Run(ManifestPath, verify: true).Should().Be(0);

        output.ToString().Should().Contain("verified: all 5 photos match");
    }

    [Fact]
    public void Verify_reports_each_mismatch_and_exits_1()
    {
        Run(ManifestPath).Should().Be(0);
        var committed = PhotoManifest.Read(ManifestPath);
        var tampered = committed.Rows.Select(r => r.File == "train/files/a.png" ? r with { Sha256 = new string('0', 64) } : r);
        new PhotoManifest(tampered).Write(ManifestPath);

        Run(ManifestPath, verify: true).Should().Be(1);

        error.ToString().Should().Contain("mismatch: changed     pkg-files:usr/share/pics/a.png: sha256: 0000");
        output.ToString().Should().Contain("verify: 1 differences");
    }

    [Fact]
    public void Updating_keeps_the_committed_rows_of_sources_this_build_skipped()
    {
        Run(ManifestPath).Should().Be(0);

        var code = PhotosRunner.Run(new PhotosRequest(folder.Extracted, folder.Output, ManifestPath, false, Optional: false, [], null), output, error, CancellationToken.None, ExtractedFolder.Catalogue);

        code.Should().Be(0);
        PhotoManifest.Read(ManifestPath).Rows.Should().Contain(r => r.Source == "eet");
        PhotoManifest.Read(Path.Combine(folder.Output, "manifest.csv")).Rows.Should().NotContain(r => r.Source == "eet");
    }

    [Fact]
    public void A_failed_source_makes_the_exit_code_1()
    {
        Directory.Delete(Path.Combine(folder.Extracted, "pkg-rcc"), true);

        Run().Should().Be(1);

        error.ToString().Should().Contain("failed: rcc: package 'pkg-rcc' is not extracted");
    }

    [Fact]
    public void Setup_errors_exit_2()
    {
        Run(extracted: Path.Combine(folder.Root, "missing")).Should().Be(2);
        error.ToString().Should().Contain("Extracted-packages folder not found");

        Run(verify: true).Should().Be(2);
        error.ToString().Should().Contain("--verify needs --manifest");

        File.WriteAllText(ManifestPath, "not,a,manifest\n");
        Run(ManifestPath, verify: true).Should().Be(2);
        error.ToString().Should().Contain("the header must be");
    }

    public void Dispose()
    {
        folder.Dispose();
        output.Dispose();
        error.Dispose();
    }
}
