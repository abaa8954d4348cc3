using TsdSr.Core.Files;
using TsdSr.Data.Degradation;
using TsdSr.Data.PairFolders;
using TsdSr.Data.Runner;
using TsdSr.Imaging;

namespace TsdSr.Tests.Data.Runner;

/// <summary>One bad file never sinks a degrade run, every skip has a reason, and an interrupted run can be resumed or started again.</summary>
public sealed class DegradeRunnerRecoveryTests : IDisposable
{
    private readonly string dir = DataTestImages.TempDir();

    public DegradeRunnerRecoveryTests()
    {
        ImageCodec.SavePng(DataTestImages.Texture(100, 90, 1), Path.Combine(dir, "hr", "a.png"));
        ImageCodec.SavePng(DataTestImages.Texture(90, 120, 2), Path.Combine(dir, "hr", "b.png"));
        ImageCodec.SavePng(DataTestImages.Texture(1, 1, 3), Path.Combine(dir, "hr", "tiny.png"));
    }

    public void Dispose() => Directory.Delete(dir, true);

    private DegradeOptions Options(string output) => new()
    {
        Input = Path.Combine(dir, "hr"),
        Output = Path.Combine(dir, output),
        Config = DegradationConfig.StableSR,
        CropSize = 64,
        PerImage = 2,
        Seed = 3,
    };

    private string[] PairFiles(string output) =>
        [.. PairFolderLayout.ImageFolders.SelectMany(f => Directory.GetFiles(Path.Combine(dir, output, f))).Select(p => Path.GetRelativePath(Path.Combine(dir, output), p)).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task A_corrupt_file_is_skipped_with_its_reason_and_a_one_pixel_image_gets_one_too()
    {
        await File.WriteAllTextAsync(Path.Combine(dir, "hr", "bad.jpg"), "not a jpeg");

        var summary = await DegradeRunner.RunAsync(Options("out"));

        summary.PairsWritten.Should().Be(4);
        summary.Skipped.Should().HaveCount(2);
        summary.Skipped.Should().ContainSingle(s => s.Failed).Which.Should().Match<DegradeSkip>(s => s.File.EndsWith("bad.jpg", StringComparison.Ordinal) && s.Reason.Contains("Cannot read image"));
        summary.Skipped.Should().ContainSingle(s => !s.Failed).Which.Reason.Should().Be("1x1 is smaller than the 64x64 crop.");
        summary.ImagesFailed.Should().Be(1);
        summary.ImagesSkipped.Should().Be(2);
    }

    [Fact]
    public async Task A_folder_with_pairs_is_refused_without_resume_or_overwrite()
    {
        await DegradeRunner.RunAsync(Options("out") with { PerImage = 1 });

        var again = () => DegradeRunner.RunAsync(Options("out"));

        await again.Should().ThrowAsync<PairFolderException>().WithMessage("*'gt/' already holds 2 file(s). Resume the run that made them, start again with overwriting*");
    }

    [Fact]
    public async Task An_interrupted_run_resumed_gives_the_same_bytes_as_an_uninterrupted_one()
    {
        await DegradeRunner.RunAsync(Options("reference"));
        await DegradeRunner.RunAsync(Options("interrupted"));
        // An interruption after pair 2's gt: pair 2 is incomplete and pair 3 was never written.
        foreach (var f in new[] { "lr_bicubic/0000002.png", "lr/0000002.png", "gt/0000003.png", "lr_bicubic/0000003.png", "lr/0000003.png" })
        {
            File.Delete(Path.Combine(dir, "interrupted", f));
        }

        var summary = await DegradeRunner.RunAsync(Options("interrupted") with { Resume = true });

        summary.PairsWritten.Should().Be(4);
        summary.PairsKept.Should().Be(2);
        PairFiles("interrupted").Should().Equal(PairFiles("reference"));
        foreach (var f in PairFiles("reference"))
        {
            File.ReadAllBytes(Path.Combine(dir, "interrupted", f)).Should().Equal(File.ReadAllBytes(Path.Combine(dir, "reference", f)), f);
        }
    }

    [Fact]
    public async Task A_resume_with_other_settings_is_refused_by_name()
    {
        await DegradeRunner.RunAsync(Options("out"));

        var other = () => DegradeRunner.RunAsync(Options("out") with { Resume = true, Seed = 4 });

        await other.Should().ThrowAsync<PairFolderException>().WithMessage("*made with other settings than this run: seed (3 in the folder, 4 now)*");
    }

    [Fact]
    public async Task A_resume_into_pairs_without_a_manifest_is_refused()
    {
        await DegradeRunner.RunAsync(Options("out"));
        File.Delete(Path.Combine(dir, "out", "degrade.json"));

        var resume = () => DegradeRunner.RunAsync(Options("out") with { Resume = true });

        await resume.Should().ThrowAsync<PairFolderException>().WithMessage("*no 'degrade.json'*");
    }

    [Fact]
    public async Task Overwriting_removes_the_old_pairs_so_none_is_left_behind()
    {
        await DegradeRunner.RunAsync(Options("out"));
        var notes = Path.Combine(dir, "out", "README.txt");
        await File.WriteAllTextAsync(notes, "the user's own file");

        var summary = await DegradeRunner.RunAsync(Options("out") with { PerImage = 1, Overwrite = true });

        summary.PairsWritten.Should().Be(2);
        PairFolder.Open(Path.Combine(dir, "out")).Indices.Should().Equal(0, 1);
        File.Exists(notes).Should().BeTrue("only numbered pair files are removed");
    }

    [Fact]
    public async Task A_second_run_into_a_held_folder_is_refused()
    {
        using var held = OutputFolderLock.Acquire(Path.Combine(dir, "out"), "another tsdsr degrade");

        var run = () => DegradeRunner.RunAsync(Options("out"));

        await run.Should().ThrowAsync<OutputFolderLockedException>();
    }
}
