using System.CommandLine;
using TsdSr.Cli.Commands;
using TsdSr.Core.Files;
using TsdSr.Imaging;
using TsdSr.Tests.Inference.Hosting;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Cli.Commands;

/// <summary><c>tsdsr upscale</c> never loses data, checks before it loads, and says what it kept when stopped.</summary>
public sealed class UpscaleCommandSafetyTests : IDisposable
{
    private readonly HostingTestFolders folders = new();
    private readonly FakeTsdSrPipelineFactory factory = new();
    private readonly StringWriter stdout = new();
    private readonly StringWriter err = new();

    public void Dispose()
    {
        SpecialFiles.MakeWritable(folders.Root);
        folders.Dispose();
        stdout.Dispose();
        this.err.Dispose();
    }

    private static string Fixture => FixturePaths.Get("tsdsr_pipeline_tiny");

    private string InputDir => Path.Combine(folders.Root, "in");

    private string OutputDir => Path.Combine(folders.Root, "out");

    [Fact]
    public async Task A_single_file_written_onto_itself_is_refused_and_the_input_is_unchanged()
    {
        var input = folders.WritePng("in", "in.png", 3, 2);
        var before = await File.ReadAllBytesAsync(input);

        int code = await Run("--input", input, "--output", input, "--overwrite");

        code.Should().Be(2);
        this.err.ToString().Should().Contain("Nothing was written").And.Contain("in.png: the output").And.Contain("is the input itself");
        (await File.ReadAllBytesAsync(input)).Should().Equal(before);
        factory.Creates.Should().Be(0);
    }

    [Fact]
    public async Task An_existing_output_is_refused_by_name_until_overwrite_is_given()
    {
        var input = folders.WritePng("in", "photo.png", 3, 2);
        var existing = folders.WritePng("out", "photo.png", 1, 1);

        int refused = await Run("--input", input, "--output", OutputDir);

        refused.Should().Be(2);
        this.err.ToString().Should().Contain($"'{existing}' already exists; pass --overwrite");
        ImageCodec.Identify(existing).Should().Be((1, 1));
        factory.Creates.Should().Be(0);

        int replaced = await Run("--input", input, "--output", OutputDir, "--overwrite");

        replaced.Should().Be(0, this.err.ToString());
        ImageCodec.Identify(existing).Should().Be((12, 8));
    }

    [Fact]
    public async Task A_folder_with_existing_outputs_lists_every_one_and_writes_nothing()
    {
        folders.WritePng("in", "a.png", 2, 2);
        folders.WritePng("in", "b.png", 2, 2);
        folders.WritePng("in", "c.png", 2, 2);
        folders.WritePng("out", "a.png", 1, 1);
        folders.WritePng("out", "c.png", 1, 1);

        int code = await Run("--input", InputDir, "--output", OutputDir);

        code.Should().Be(2);
        this.err.ToString().Should().Contain("Nothing was written: 2 output(s) are refused").And.Contain("a.png: the output").And.Contain("c.png: the output");
        File.Exists(Path.Combine(OutputDir, "b.png")).Should().BeFalse();
    }

    [Theory]
    [InlineData("result.jpg", 0xFF, 0xD8)]
    [InlineData("result.webp", (byte)'R', (byte)'I')]
    public async Task The_output_extension_chooses_the_container(string name, byte first, byte second)
    {
        var input = folders.WritePng("in", "photo.png", 3, 2);
        var output = Path.Combine(folders.Root, name);

        int code = await Run("--input", input, "--output", output, "--jpeg-quality", "70");

        code.Should().Be(0, this.err.ToString());
        (await File.ReadAllBytesAsync(output))[..2].Should().Equal(first, second);
    }

    [Fact]
    public async Task An_output_extension_that_names_no_format_is_a_usage_error()
    {
        var input = folders.WritePng("in", "photo.png", 3, 2);

        int code = await Run("--input", input, "--output", Path.Combine(folders.Root, "result.tif"));

        code.Should().Be(2);
        this.err.ToString().Should().Contain("'.tif' names no image format");
    }

    [Fact]
    public async Task A_second_run_into_a_held_output_folder_is_refused()
    {
        folders.WritePng("in", "a.png", 2, 2);
        using var held = OutputFolderLock.Acquire(OutputDir, "another tsdsr upscale");

        int code = await Run("--input", InputDir, "--output", OutputDir);

        code.Should().Be(2);
        this.err.ToString().Should().Contain($"Another run is writing to '{OutputDir}'");
        factory.Creates.Should().Be(0);
    }

    [Fact]
    public async Task An_unwritable_output_is_found_before_the_models_load()
    {
        var input = folders.WritePng("in", "photo.png", 3, 2);
        var folder = SpecialFiles.UnwritableFolder(folders.Root);

        int code = await Run("--input", input, "--output", Path.Combine(folder, "photo.png"));

        code.Should().Be(2);
        this.err.ToString().Should().Contain("not writable");
        factory.Creates.Should().Be(0);
    }

    [Fact]
    public async Task Work_sizes_over_the_limits_fail_by_name_before_the_models_load_and_the_flag_raises_them()
    {
        folders.WritePng("in", "strip.png", 3, 1000);

        int code = await Run("--input", InputDir, "--output", OutputDir);

        code.Should().Be(1);
        this.err.ToString().Should().Contain("FAIL  strip.png: A 3x1000 input is worked at 512x170664").And.Contain("--max-aspect-ratio");
        factory.Creates.Should().Be(0);

        int raised = await Run("--input", InputDir, "--output", OutputDir, "--max-aspect-ratio", "400", "--scale", "1");

        raised.Should().Be(0, this.err.ToString());
    }

    [Fact]
    public async Task The_input_pixel_limit_has_a_flag_and_the_refusal_names_it()
    {
        folders.WritePng("in", "a.png", 4, 4);

        int code = await Run("--input", InputDir, "--output", OutputDir, "--max-input-pixels", "10");

        code.Should().Be(1);
        this.err.ToString().Should().Contain("16 pixels, over the limit of 10 (MaxInputPixels; tsdsr upscale --max-input-pixels)");
    }

    [Fact]
    public async Task A_redirected_output_gets_plain_progress_lines_and_each_error_is_printed_once()
    {
        folders.WritePng("in", "a.png", 2, 2);
        await File.WriteAllTextAsync(Path.Combine(InputDir, "bad.png"), "no");

        int code = await Run("--input", InputDir, "--output", OutputDir);

        code.Should().Be(1);
        stdout.ToString().Should().Contain("  a.png: transformer 1/2").And.Contain("  models: loading 1/1");
        var err = this.err.ToString();
        err.Split("not a PNG, JPEG, BMP or WebP image").Length.Should().Be(2, "the reason is on the FAIL line only:\n" + err);
        err.Should().Contain("Failed: bad.png (reasons above).");
    }

    [Fact]
    public async Task Cancelling_mid_run_keeps_finished_outputs_discards_the_one_in_progress_and_exits_130()
    {
        folders.WritePng("in", "a.png", 2, 2);
        folders.WritePng("in", "b.png", 2, 2);
        folders.WritePng("in", "c.png", 2, 2);
        using var hold = new ManualResetEventSlim(false);
        factory.Pipeline.Hold = hold;
        factory.Pipeline.HoldFromCall = 1;
        using var cts = new CancellationTokenSource();

        var run = Run(cts.Token, "--input", InputDir, "--output", OutputDir);
        SpinWait.SpinUntil(() => Volatile.Read(ref factory.Pipeline.Calls) >= 2, TimeSpan.FromMinutes(1)).Should().BeTrue();
        await cts.CancelAsync();
        int code = await run;

        code.Should().Be(130);
        this.err.ToString().Should().Contain($"Cancelled. Kept 1 finished output(s) in '{OutputDir}'. Discarded the image in progress (b.png); no partial file was left. 1 image(s) were not started.");
        Directory.GetFiles(OutputDir).Select(Path.GetFileName).Should().Equal("a.png");
    }

    private Task<int> Run(params string[] args) => Run(CancellationToken.None, args);

    private Task<int> Run(CancellationToken cancellationToken, params string[] args)
    {
        var root = new RootCommand { UpscaleCommand.Create(() => factory) };
        string[] weights = ["--model", Fixture, "--lora", Path.Combine(Fixture, "lora"), "--embeddings", Path.Combine(Fixture, "embeddings")];
        return root.Parse(["upscale", .. weights, "--device", "cpu", .. args]).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = this.err }, cancellationToken);
    }
}
