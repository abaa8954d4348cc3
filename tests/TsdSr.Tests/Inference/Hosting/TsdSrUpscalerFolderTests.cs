using Microsoft.Extensions.Options;
using TsdSr.Imaging;
using TsdSr.Inference;
using TsdSr.Inference.Hosting;

namespace TsdSr.Tests.Inference.Hosting;

public sealed class TsdSrUpscalerFolderTests : IDisposable
{
    private readonly HostingTestFolders folders = new();
    private readonly FakeTsdSrPipelineFactory factory = new();

    public void Dispose() => folders.Dispose();

    private string InputDir => Path.Combine(folders.Root, "in");

    private string OutputDir => Path.Combine(folders.Root, "out");

    [Fact]
    public async Task A_bad_image_reports_its_error_and_the_other_images_are_done()
    {
        folders.WritePng("in", "a.png", 2, 2);
        await File.WriteAllTextAsync(Path.Combine(InputDir, "b.jpg"), "not a jpeg");
        folders.WritePng("in", "c.bmp.png", 3, 1);
        await File.WriteAllTextAsync(Path.Combine(InputDir, "notes.txt"), "ignored");
        using var upscaler = Create();

        var results = await Collect(upscaler.UpscaleFolderAsync(InputDir, OutputDir));

        results.Select(r => r.Name).Should().Equal("a.png", "b.jpg", "c.bmp.png");
        results[0].Succeeded.Should().BeTrue();
        results[0].OutputPath.Should().Be(Path.Combine(OutputDir, "a.png"));
        results[1].Succeeded.Should().BeFalse();
        results[1].Error.Should().BeOfType<ImageFormatException>().Which.FilePath.Should().EndWith("b.jpg");
        results[1].OutputPath.Should().BeNull();
        results[2].Succeeded.Should().BeTrue();
        (results[2].OutputWidth, results[2].OutputHeight).Should().Be((12, 4));
        Directory.GetFiles(OutputDir).Select(Path.GetFileName).Should().BeEquivalentTo(["a.png", "c.bmp.png"]);
    }

    [Fact]
    public async Task A_pipeline_failure_on_one_image_does_not_stop_the_batch()
    {
        folders.WritePng("in", "a.png", 5, 2);
        folders.WritePng("in", "b.png", 2, 2);
        factory.Pipeline.FailOnWidth = 5;
        using var upscaler = Create();

        var results = await Collect(upscaler.UpscaleFolderAsync(InputDir, OutputDir));

        results[0].Error.Should().BeOfType<InvalidOperationException>();
        (results[0].InputWidth, results[0].InputHeight).Should().Be((5, 2));
        results[1].Succeeded.Should().BeTrue();
    }

    [Fact]
    public async Task Inputs_sharing_a_base_name_do_not_overwrite_each_other()
    {
        folders.WritePng("in", "x.png", 2, 2);
        using (var fs = File.Create(Path.Combine(InputDir, "x.webp")))
        {
            ImageCodec.EncodePng(new RgbImage(2, 2, new byte[12]), fs);
        }

        using var upscaler = Create();

        var results = await Collect(upscaler.UpscaleFolderAsync(InputDir, OutputDir));

        results[0].Succeeded.Should().BeTrue();
        results[1].Error.Should().BeOfType<IOException>().Which.Message.Should().Contain("x.webp").And.Contain("x.png");
    }

    [Fact]
    public async Task Writing_into_the_input_folder_never_replaces_an_input()
    {
        var input = folders.WritePng("in", "a.png", 2, 2);
        var before = await File.ReadAllBytesAsync(input);
        using var upscaler = Create();

        var results = await Collect(upscaler.UpscaleFolderAsync(InputDir, InputDir));

        results.Should().ContainSingle().Which.Error.Should().BeOfType<IOException>();
        (await File.ReadAllBytesAsync(input)).Should().Equal(before);
    }

    [Fact]
    public async Task Progress_of_a_folder_run_carries_each_image_name()
    {
        folders.WritePng("in", "a.png", 2, 2);
        folders.WritePng("in", "b.png", 2, 2);
        using var upscaler = Create();
        var reports = new SyncProgress();

        await Collect(upscaler.UpscaleFolderAsync(InputDir, OutputDir, progress: reports));

        reports.Items.Where(r => r.Stage == TsdSrStage.Transformer).Select(r => r.ImageName).Should().Equal("a.png", "a.png", "b.png", "b.png");
    }

    [Fact]
    public async Task Cancelling_between_images_ends_the_batch_with_an_exception()
    {
        folders.WritePng("in", "a.png", 2, 2);
        folders.WritePng("in", "b.png", 2, 2);
        using var upscaler = Create();
        using var cts = new CancellationTokenSource();
        var seen = new List<UpscaleResult>();

        var act = async () =>
        {
            await foreach (var r in upscaler.UpscaleFolderAsync(InputDir, OutputDir, cancellationToken: cts.Token))
            {
                seen.Add(r);
                await cts.CancelAsync();
            }
        };

        await act.Should().ThrowAsync<OperationCanceledException>();
        seen.Should().ContainSingle().Which.Name.Should().Be("a.png");
    }

    [Fact]
    public async Task A_model_that_cannot_load_ends_the_batch_with_its_exception()
    {
        folders.WritePng("in", "a.png", 2, 2);
        factory.Failure = new FileNotFoundException("vae.safetensors missing");
        using var upscaler = Create();

        var act = () => Collect(upscaler.UpscaleFolderAsync(InputDir, OutputDir));

        await act.Should().ThrowAsync<FileNotFoundException>();
    }

    [Fact]
    public async Task An_empty_folder_yields_nothing_and_loads_nothing()
    {
        Directory.CreateDirectory(InputDir);
        using var upscaler = Create();

        (await Collect(upscaler.UpscaleFolderAsync(InputDir, OutputDir))).Should().BeEmpty();
        factory.Creates.Should().Be(0);
    }

    [Fact]
    public async Task A_missing_input_folder_is_named_in_the_error()
    {
        using var upscaler = Create();

        var act = () => Collect(upscaler.UpscaleFolderAsync(InputDir, OutputDir));

        await act.Should().ThrowAsync<DirectoryNotFoundException>().WithMessage($"*{InputDir}*");
    }

    private TsdSrUpscaler Create() => new(Options.Create(folders.Options()), factory);

    private static async Task<List<UpscaleResult>> Collect(IAsyncEnumerable<UpscaleResult> results)
    {
        var list = new List<UpscaleResult>();
        await foreach (var r in results)
        {
            list.Add(r);
        }

        return list;
    }
}
