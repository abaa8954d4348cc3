using TsdSr.Data.Degradation;
using TsdSr.Data.PairFolders;
using TsdSr.Data.Runner;
using TsdSr.Imaging;

namespace TsdSr.Tests.Data.Runner;

public sealed class DegradeRunnerTests : IDisposable
{
    private readonly string dir = DataTestImages.TempDir();

    public DegradeRunnerTests()
    {
        ImageCodec.SavePng(DataTestImages.Texture(100, 90, 1), Path.Combine(dir, "hr", "a.png"));
        ImageCodec.SavePng(DataTestImages.Texture(90, 120, 2), Path.Combine(dir, "hr", "nested", "b.png"));
        ImageCodec.SavePng(DataTestImages.Texture(30, 30, 3), Path.Combine(dir, "hr", "small.png"));
    }

    private DegradeOptions Options(string output) => new()
    {
        Input = Path.Combine(dir, "hr"),
        Output = Path.Combine(dir, output),
        Config = DegradationConfig.StableSR,
        CropSize = 64,
        PerImage = 2,
        Seed = 3,
        Preview = true,
        PreviewPairs = 3,
        PreviewTileSize = 32,
    };

    [Fact]
    public async Task Writes_a_readable_pair_folder_with_progress_a_summary_and_a_preview()
    {
        var reports = new List<DegradeProgress>();
        var summary = await DegradeRunner.RunAsync(Options("out"), new SyncProgress(reports.Add));
        summary.PairsWritten.Should().Be(4);
        summary.ImagesUsed.Should().Be(2);
        summary.ImagesSkipped.Should().Be(1);
        summary.ToString().Should().Contain("4 pairs from 2 images (1 skipped)");
        reports.Select(r => r.ImagesDone).Should().Equal(1, 2, 3);
        reports[^1].PairsWritten.Should().Be(4);

        var folder = PairFolder.Open(Path.Combine(dir, "out"));
        folder.Indices.Should().Equal(0, 1, 2, 3);
        folder.Has(PairFolderLayout.Lr).Should().BeTrue();
        using var pair = folder.Read(3);
        pair.Gt.shape.Should().Equal(1, 3, 64, 64);
        pair.Lr!.shape.Should().Equal(1, 3, 16, 16);

        var preview = ImageCodec.Load(summary.PreviewPath!);
        (preview.Width, preview.Height).Should().Be((2 * 32 + 3 * ContactSheet.Gap, 3 * 32 + 4 * ContactSheet.Gap));
    }

    [Fact]
    public async Task The_same_seed_writes_the_same_bytes()
    {
        await DegradeRunner.RunAsync(Options("one") with { Preview = false });
        await DegradeRunner.RunAsync(Options("two") with { Preview = false });
        foreach (var sub in new[] { "gt", "lr_bicubic", "lr" })
        {
            foreach (var file in Directory.GetFiles(Path.Combine(dir, "one", sub)))
            {
                File.ReadAllBytes(Path.Combine(dir, "two", sub, Path.GetFileName(file))).Should().Equal(File.ReadAllBytes(file));
            }
        }
    }

    [Fact]
    public async Task Bad_options_and_occupied_outputs_are_rejected()
    {
        var badScale = () => DegradeRunner.RunAsync(Options("x") with { Scale = 3 });
        await badScale.Should().ThrowAsync<ArgumentException>().WithMessage("*Scale*");
        var badCrop = () => DegradeRunner.RunAsync(Options("x") with { CropSize = 66 });
        await badCrop.Should().ThrowAsync<ArgumentException>().WithMessage("*multiple of the scale*");
        await DegradeRunner.RunAsync(Options("busy") with { Preview = false, PerImage = 1 });
        var again = () => DegradeRunner.RunAsync(Options("busy"));
        await again.Should().ThrowAsync<PairFolderException>();
    }

    [Fact]
    public async Task Cancellation_is_honoured()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var act = () => DegradeRunner.RunAsync(Options("c"), null, cts.Token);
        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    public void Dispose() => Directory.Delete(dir, true);

    private sealed class SyncProgress(Action<DegradeProgress> report) : IProgress<DegradeProgress>
    {
        public void Report(DegradeProgress value) => report(value);
    }
}
