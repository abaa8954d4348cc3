using Microsoft.Extensions.Options;
using TsdSr.Core.Files;
using TsdSr.Imaging;
using TsdSr.Inference;
using TsdSr.Inference.Hosting;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Inference.Hosting;

/// <summary>The library refuses what would lose data, and checks everything it can before the models load.</summary>
public sealed class TsdSrUpscalerOutputTests : IDisposable
{
    private readonly HostingTestFolders folders = new();
    private readonly FakeTsdSrPipelineFactory factory = new();

    public void Dispose()
    {
        SpecialFiles.MakeWritable(folders.Root);
        folders.Dispose();
    }

    [Fact]
    public async Task A_file_is_never_written_onto_its_own_input_even_with_overwrite()
    {
        using var upscaler = Create(o => o.OverwriteOutputs = true);
        var input = folders.WritePng("in", "photo.png", 3, 2);
        var before = await File.ReadAllBytesAsync(input);

        var act = () => upscaler.UpscaleAsync(input, input);

        await act.Should().ThrowAsync<IOException>().WithMessage("*is the input itself*");
        (await File.ReadAllBytesAsync(input)).Should().Equal(before);
        factory.Creates.Should().Be(0);
    }

    [Fact]
    public async Task An_existing_output_is_refused_before_loading_unless_overwriting_is_allowed()
    {
        var input = folders.WritePng("in", "photo.png", 3, 2);
        var output = Path.Combine(folders.Root, "result.png");
        await File.WriteAllTextAsync(output, "precious");
        using (var strict = Create())
        {
            var act = () => strict.UpscaleAsync(input, output);

            await act.Should().ThrowAsync<IOException>().WithMessage($"*'{output}' already exists; pass --overwrite (TsdSrOptions.OverwriteOutputs)*");
            (await File.ReadAllTextAsync(output)).Should().Be("precious");
            factory.Creates.Should().Be(0);
        }

        using var allowed = Create(o => o.OverwriteOutputs = true);
        var result = await allowed.UpscaleAsync(input, output);

        ImageCodec.Identify(result.OutputPath!).Should().Be((12, 8));
    }

    [Fact]
    public async Task A_jpg_output_receives_jpeg_bytes_at_the_configured_quality()
    {
        using var upscaler = Create(o => o.JpegQuality = 80);
        var input = folders.WritePng("in", "photo.png", 3, 2);
        var output = Path.Combine(folders.Root, "result.jpg");

        await upscaler.UpscaleAsync(input, output);

        (await File.ReadAllBytesAsync(output))[..2].Should().Equal(0xFF, 0xD8);
        ImageCodec.Identify(output).Should().Be((12, 8));
    }

    [Fact]
    public async Task A_transparent_input_is_refused_for_a_jpeg_output_before_the_upscale()
    {
        using var upscaler = Create();
        var input = Path.Combine(folders.Root, "in", "clear.png");
        ImageCodec.Save(new RgbImage(2, 2, new byte[12], [0, 255, 255, 255]), input);

        var act = () => upscaler.UpscaleAsync(input, Path.Combine(folders.Root, "out.jpg"));

        await act.Should().ThrowAsync<ArgumentException>().WithMessage("*JPEG cannot store the image's transparency*");
        factory.Pipeline.Calls.Should().Be(0);
    }

    [Fact]
    public async Task An_unwritable_output_folder_is_found_before_the_models_load()
    {
        using var upscaler = Create();
        var input = folders.WritePng("in", "photo.png", 3, 2);
        var folder = SpecialFiles.UnwritableFolder(folders.Root);

        var file = () => upscaler.UpscaleAsync(input, Path.Combine(folder, "out.png"));
        var batch = async () => await Collect(upscaler.UpscaleFolderAsync(Path.Combine(folders.Root, "in"), folder));

        await file.Should().ThrowAsync<IOException>().WithMessage($"Cannot write the output: '{folder}' is not writable*");
        await batch.Should().ThrowAsync<IOException>().WithMessage("*not writable*");
        factory.Creates.Should().Be(0);
    }

    [Fact]
    public async Task A_work_size_over_the_limits_is_refused_before_the_models_load()
    {
        using var upscaler = Create();
        var input = folders.WritePng("in", "strip.png", 3, 1000);

        var act = () => upscaler.UpscaleAsync(input, Path.Combine(folders.Root, "out.png"));

        await act.Should().ThrowAsync<ImageTooLargeException>().WithMessage("*512x170664*aspect-ratio limit of 32*");
        factory.Creates.Should().Be(0);
    }

    [Fact]
    public async Task A_folder_batch_holds_the_output_folder_so_a_second_run_is_refused()
    {
        using var upscaler = Create();
        folders.WritePng("in", "a.png", 2, 2);
        var output = Path.Combine(folders.Root, "out");

        using (var batch = upscaler.PlanFolder(Path.Combine(folders.Root, "in"), output))
        {
            var second = () => upscaler.PlanFolder(Path.Combine(folders.Root, "in"), output);

            second.Should().Throw<OutputFolderLockedException>().WithMessage($"*'{output}'*");
            batch.Jobs.Should().ContainSingle().Which.IsRunnable.Should().BeTrue();
        }

        using var after = upscaler.PlanFolder(Path.Combine(folders.Root, "in"), output);
        after.Jobs.Should().ContainSingle();
    }

    [Fact]
    public async Task A_folder_batch_where_nothing_is_runnable_loads_nothing()
    {
        using var upscaler = Create();
        folders.WritePng("in", "strip.png", 3, 1000);
        await File.WriteAllBytesAsync(Path.Combine(folders.Root, "in", "empty.png"), []);

        var results = await Collect(upscaler.UpscaleFolderAsync(Path.Combine(folders.Root, "in"), Path.Combine(folders.Root, "out")));

        results.Select(r => r.Error?.GetType()).Should().Equal(typeof(ImageFormatException), typeof(ImageTooLargeException));
        results[0].Error!.Message.Should().Contain("empty (0 bytes)");
        factory.Creates.Should().Be(0);
    }

    [Fact]
    public async Task Existing_outputs_of_a_folder_batch_are_output_conflicts_that_name_the_file()
    {
        using var upscaler = Create();
        folders.WritePng("in", "a.png", 2, 2);
        folders.WritePng("in", "b.png", 2, 2);
        var existing = folders.WritePng("out", "b.png", 1, 1);

        using var batch = upscaler.PlanFolder(Path.Combine(folders.Root, "in"), Path.Combine(folders.Root, "out"));

        batch.OutputConflicts.Should().ContainSingle().Which.Refusal!.Message.Should().Contain($"'{existing}' already exists");
        batch.Jobs[0].IsRunnable.Should().BeTrue();
        await Task.CompletedTask;
    }

    private TsdSrUpscaler Create(Action<TsdSrOptions>? change = null) => new(Options.Create(folders.Options(change)), factory);

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
