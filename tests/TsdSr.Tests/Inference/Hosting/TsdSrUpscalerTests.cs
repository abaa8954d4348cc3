using Microsoft.Extensions.Options;
using TsdSr.Imaging;
using TsdSr.Inference;
using TsdSr.Inference.Hosting;

namespace TsdSr.Tests.Inference.Hosting;

public sealed class TsdSrUpscalerTests : IDisposable
{
    private readonly HostingTestFolders folders = new();
    private readonly FakeTsdSrPipelineFactory factory = new();

    public void Dispose() => folders.Dispose();

    [Fact]
    public async Task Models_load_lazily_once_on_first_use()
    {
        using var upscaler = Create();
        upscaler.IsLoaded.Should().BeFalse();

        var output = await upscaler.UpscaleAsync(Image(3, 2));
        await upscaler.UpscaleAsync(Image(3, 2));

        factory.Creates.Should().Be(1);
        upscaler.IsLoaded.Should().BeTrue();
        upscaler.Device.Should().Be("cpu");
        (output.Width, output.Height).Should().Be((12, 8));
    }

    [Fact]
    public async Task Explicit_load_reports_the_loading_stage_and_is_idempotent()
    {
        using var upscaler = Create();
        var reports = new SyncProgress();

        await upscaler.LoadAsync(reports);
        await upscaler.LoadAsync();

        factory.Creates.Should().Be(1);
        reports.Items.Should().ContainSingle().Which.Stage.Should().Be(TsdSrStage.Loading);
    }

    [Fact]
    public async Task A_failed_load_surfaces_its_exception_and_is_retried_on_the_next_call()
    {
        using var upscaler = Create();
        factory.Failure = new FileNotFoundException("transformer.safetensors missing");

        var act = () => upscaler.UpscaleAsync(Image(2, 2));

        await act.Should().ThrowAsync<FileNotFoundException>().WithMessage("transformer.safetensors missing");
        factory.Failure = null;
        await upscaler.UpscaleAsync(Image(2, 2));
        factory.Creates.Should().Be(2);
    }

    [Fact]
    public async Task Settings_default_to_the_options_and_per_call_settings_override_them()
    {
        using var upscaler = Create(o => o.Scale = 2);

        var byDefault = await upscaler.UpscaleAsync(Image(3, 3));
        var overridden = await upscaler.UpscaleAsync(Image(3, 3), new UpscaleSettings { Scale = 3 });

        byDefault.Width.Should().Be(6);
        overridden.Width.Should().Be(9);
    }

    [Fact]
    public async Task Invalid_per_call_settings_throw_an_argument_exception_before_touching_the_device()
    {
        using var upscaler = Create();

        var act = () => upscaler.UpscaleAsync(Image(2, 2), new UpscaleSettings { LatentTileSize = 16, LatentTileOverlap = 16 });

        await act.Should().ThrowAsync<ArgumentException>();
        factory.Creates.Should().Be(0);
    }

    [Fact]
    public async Task Concurrent_callers_never_overlap_inside_the_pipeline()
    {
        using var upscaler = Create();
        using var hold = new ManualResetEventSlim(false);
        factory.Pipeline.Hold = hold;
        var first = upscaler.UpscaleAsync(Image(2, 2));
        (await factory.Pipeline.Entries.WaitAsync(TimeSpan.FromSeconds(30))).Should().BeTrue("the first call reaches the pipeline");

        // The first call stays inside the pipeline until released, so an overlap does not depend on timing: without the
        // device gate each of these calls would enter on its own worker thread at once. The wait only bounds how long
        // we look for that second entry.
        var others = Enumerable.Range(1, 11).Select(i => upscaler.UpscaleAsync(Image(2 + (i % 3), 2))).ToArray();
        (await factory.Pipeline.Entries.WaitAsync(TimeSpan.FromMilliseconds(500))).Should().BeFalse("no call may enter while another runs");
        others.Should().OnlyContain(t => !t.IsCompleted, "they wait for the device");

        hold.Set();
        await first;
        var outputs = await Task.WhenAll(others);

        outputs.Should().HaveCount(11);
        factory.Pipeline.Calls.Should().Be(12);
        factory.Pipeline.MaxConcurrent.Should().Be(1);
        factory.Creates.Should().Be(1);
    }

    [Fact]
    public async Task Cancellation_before_the_call_never_reaches_the_pipeline()
    {
        using var upscaler = Create();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var act = () => upscaler.UpscaleAsync(Image(2, 2), cancellationToken: cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        factory.Creates.Should().Be(0);
        factory.Pipeline.Calls.Should().Be(0);
    }

    [Fact]
    public async Task Cancellation_while_queued_behind_another_call_leaves_the_running_call_alone()
    {
        using var upscaler = Create();
        using var hold = new ManualResetEventSlim(false);
        factory.Pipeline.Hold = hold;
        var running = upscaler.UpscaleAsync(Image(2, 2));
        factory.Pipeline.Entered.Wait(TimeSpan.FromSeconds(30)).Should().BeTrue();
        using var cts = new CancellationTokenSource();
        var queued = upscaler.UpscaleAsync(Image(2, 2), cancellationToken: cts.Token);

        await cts.CancelAsync();
        var act = () => queued;
        await act.Should().ThrowAsync<OperationCanceledException>();
        hold.Set();
        await running;

        factory.Pipeline.Calls.Should().Be(1);
    }

    [Fact]
    public async Task Cancellation_mid_run_reaches_the_pipeline_and_the_upscaler_stays_usable()
    {
        using var upscaler = Create();
        using var hold = new ManualResetEventSlim(false);
        factory.Pipeline.Hold = hold;
        using var cts = new CancellationTokenSource();
        var call = upscaler.UpscaleAsync(Image(2, 2), cancellationToken: cts.Token);
        factory.Pipeline.Entered.Wait(TimeSpan.FromSeconds(30)).Should().BeTrue();

        await cts.CancelAsync();

        var act = () => call;
        await act.Should().ThrowAsync<OperationCanceledException>();
        hold.Set();
        (await upscaler.UpscaleAsync(Image(2, 2))).Width.Should().Be(8);
    }

    [Fact]
    public async Task Progress_reports_are_forwarded_in_order()
    {
        using var upscaler = Create();
        var reports = new SyncProgress();

        await upscaler.UpscaleAsync(Image(2, 2), progress: reports);

        reports.Items.Select(r => (r.Stage, r.Current, r.Total)).Should().Equal(
            (TsdSrStage.Loading, 1, 1), (TsdSrStage.Transformer, 1, 2), (TsdSrStage.Transformer, 2, 2));
    }

    [Fact]
    public async Task File_overload_writes_a_png_with_the_input_base_name_into_an_output_folder()
    {
        using var upscaler = Create();
        var input = folders.WritePng("in", "photo.png", 3, 2);
        var outDir = Path.Combine(folders.Root, "out") + Path.DirectorySeparatorChar;

        var result = await upscaler.UpscaleAsync(input, outDir);

        result.OutputPath.Should().Be(Path.Combine(folders.Root, "out", "photo.png"));
        ImageCodec.Identify(result.OutputPath!).Should().Be((12, 8));
        (result.InputWidth, result.InputHeight, result.OutputWidth, result.OutputHeight).Should().Be((3, 2, 12, 8));
    }

    [Fact]
    public async Task File_overload_throws_the_specific_error_of_a_bad_image()
    {
        using var upscaler = Create();
        var bad = Path.Combine(folders.Root, "bad.png");
        await File.WriteAllTextAsync(bad, "not an image");

        var act = () => upscaler.UpscaleAsync(bad, Path.Combine(folders.Root, "bad-out.png"));

        await act.Should().ThrowAsync<ImageFormatException>().Where(e => e.FilePath.EndsWith("bad.png", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Inputs_over_the_pixel_limit_are_rejected_before_decoding()
    {
        using var upscaler = Create(o => o.MaxInputPixels = 10);
        var input = folders.WritePng("in", "big.png", 4, 4);

        var act = () => upscaler.UpscaleAsync(input, Path.Combine(folders.Root, "out.png"));

        await act.Should().ThrowAsync<ImageFormatException>().WithMessage("*16 pixels, over the limit of 10*");
        factory.Creates.Should().Be(0);
    }

    [Fact]
    public async Task Stream_overload_encodes_a_png()
    {
        using var upscaler = Create();
        var input = folders.WritePng("in", "s.png", 2, 3);
        await using var source = File.OpenRead(input);
        using var destination = new MemoryStream();

        var result = await upscaler.UpscaleAsync(source, destination);

        destination.Position = 0;
        var decoded = ImageCodec.Load(destination, "result");
        (decoded.Width, decoded.Height).Should().Be((8, 12));
        result.OutputWidth.Should().Be(8);
    }

    [Fact]
    public async Task Disposal_cancels_the_running_call_releases_the_models_and_rejects_new_calls()
    {
        var upscaler = Create();
        using var hold = new ManualResetEventSlim(false);
        factory.Pipeline.Hold = hold;
        var call = upscaler.UpscaleAsync(Image(2, 2));
        factory.Pipeline.Entered.Wait(TimeSpan.FromSeconds(30)).Should().BeTrue();

        await upscaler.DisposeAsync();

        var running = () => call;
        await running.Should().ThrowAsync<ObjectDisposedException>();
        factory.Pipeline.Disposed.Should().BeTrue();
        var later = () => upscaler.UpscaleAsync(Image(2, 2));
        await later.Should().ThrowAsync<ObjectDisposedException>();
        upscaler.Dispose();
    }

    [Fact]
    public void Options_given_outside_a_container_are_validated_too()
    {
        var act = () => new TsdSrUpscaler(Options.Create(folders.Options(o => o.LatentTileOverlap = 100)), factory);

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().Contain("LatentTileOverlap (100) must be smaller than LatentTileSize (64).");
    }

    private TsdSrUpscaler Create(Action<TsdSrOptions>? change = null) => new(Options.Create(folders.Options(change)), factory);

    private static RgbImage Image(int width, int height) => new(width, height, new byte[width * height * 3]);
}
