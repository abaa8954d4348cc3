using System.CommandLine;
using TsdSr.Cli.Commands;
using TsdSr.Imaging;
using TsdSr.Tests.Inference.Hosting;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Cli.Commands;

public sealed class UpscaleCommandTests : IDisposable
{
    private readonly HostingTestFolders folders = new();
    private readonly FakeTsdSrPipelineFactory factory = new();
    private readonly StringWriter stdout = new();
    private readonly StringWriter err = new();

    public void Dispose()
    {
        folders.Dispose();
        stdout.Dispose();
        this.err.Dispose();
    }

    private static string Fixture => FixturePaths.Get("tsdsr_pipeline_tiny");

    private string InputDir => Path.Combine(folders.Root, "in");

    private string OutputDir => Path.Combine(folders.Root, "out");

    [Fact]
    public async Task A_folder_is_upscaled_with_per_image_lines_and_a_summary()
    {
        folders.WritePng("in", "a.png", 3, 2);
        folders.WritePng("in", "b.png", 2, 2);

        int code = await Run(WeightArgs(Fixture).Concat(["--input", InputDir, "--output", OutputDir, "--scale", "2", "--device", "cpu"]));

        code.Should().Be(0, this.err.ToString());
        ImageCodec.Identify(Path.Combine(OutputDir, "a.png")).Should().Be((6, 4));
        ImageCodec.Identify(Path.Combine(OutputDir, "b.png")).Should().Be((4, 4));
        stdout.ToString().Should().Contain("ok    a.png  3x2 -> 6x4").And.Contain("Done: 2 upscaled, 0 failed");
        this.err.ToString().Should().Contain("trained for x4 only; --scale 2");
    }

    [Fact]
    public async Task A_single_file_into_a_folder_keeps_its_base_name_as_png()
    {
        var input = folders.WritePng("in", "photo.png", 2, 2);

        int code = await Run(WeightArgs(Fixture).Concat(["--input", input, "--output", OutputDir]));

        code.Should().Be(0, this.err.ToString());
        File.Exists(Path.Combine(OutputDir, "photo.png")).Should().BeTrue();
    }

    [Fact]
    public async Task A_bad_image_gives_exit_code_1_and_is_named_while_the_others_are_done()
    {
        folders.WritePng("in", "a.png", 2, 2);
        await File.WriteAllTextAsync(Path.Combine(InputDir, "bad.png"), "no");

        int code = await Run(WeightArgs(Fixture).Concat(["--input", InputDir, "--output", OutputDir]));

        code.Should().Be(1);
        this.err.ToString().Should().Contain("FAIL  bad.png").And.Contain("Cannot read image");
        stdout.ToString().Should().Contain("Done: 1 upscaled, 1 failed");
        File.Exists(Path.Combine(OutputDir, "a.png")).Should().BeTrue();
    }

    [Fact]
    public async Task Missing_weights_are_listed_with_where_they_are_expected_and_how_to_get_them()
    {
        folders.WritePng("in", "a.png", 2, 2);

        int code = await Run(WeightArgs(folders.Root).Concat(["--input", InputDir, "--output", OutputDir]));

        code.Should().Be(2);
        var err = this.err.ToString();
        err.Should().Contain($"TSD-SR LoRA transformer.safetensors: expected at '{Path.Combine(folders.Lora, "transformer.safetensors")}'");
        err.Should().Contain("prompt_embeds.pt").And.Contain("stabilityai/stable-diffusion-3-medium-diffusers").And.Contain("TSD-SR");
        factory.Creates.Should().Be(0);
    }

    [Fact]
    public async Task A_model_that_fails_to_load_gives_exit_code_2_and_its_message()
    {
        folders.WritePng("in", "a.png", 2, 2);
        factory.Failure = new InvalidDataException("transformer.safetensors is truncated");

        int code = await Run(WeightArgs(Fixture).Concat(["--input", InputDir, "--output", OutputDir]));

        code.Should().Be(2);
        this.err.ToString().Should().Contain("Could not load the models: transformer.safetensors is truncated");
    }

    [Fact]
    public async Task A_missing_input_is_named()
    {
        var missing = Path.Combine(folders.Root, "nothing.png");

        int code = await Run(WeightArgs(Fixture).Concat(["--input", missing, "--output", OutputDir]));

        code.Should().Be(2);
        this.err.ToString().Should().Contain($"Input not found: '{missing}'");
    }

    [Theory]
    [InlineData("--color-fix", "sharp")]
    [InlineData("--vae-tiling", "maybe")]
    [InlineData("--dtype", "int8")]
    [InlineData("--device", "gpu")]
    public async Task Values_outside_the_documented_choices_are_rejected_by_the_parser(string option, string value)
    {
        int code = await Run(WeightArgs(Fixture).Concat(["--input", InputDir, "--output", OutputDir, option, value]));

        code.Should().NotBe(0);
        this.err.ToString().Should().Contain(value);
        factory.Creates.Should().Be(0);
    }

    [Fact]
    public async Task Options_the_library_rejects_are_listed()
    {
        folders.WritePng("in", "a.png", 2, 2);

        int code = await Run(WeightArgs(Fixture).Concat(["--input", InputDir, "--output", OutputDir, "--latent-tile-overlap", "64"]));

        code.Should().Be(2);
        this.err.ToString().Should().Contain("LatentTileOverlap (64) must be smaller than LatentTileSize (64).");
    }

    [Fact]
    public async Task A_scale_outside_the_library_range_is_rejected_with_the_library_message()
    {
        folders.WritePng("in", "a.png", 2, 2);

        int code = await Run(WeightArgs(Fixture).Concat(["--input", InputDir, "--output", OutputDir, "--scale", "32"]));

        code.Should().Be(2);
        this.err.ToString().Should().Contain("Scale must be between 1 and 16 (got 32).");
        factory.Creates.Should().Be(0);
    }

    [Fact]
    public void The_option_defaults_are_the_library_defaults()
    {
        var command = UpscaleCommand.Create(() => factory);
        var parsed = new RootCommand { command }.Parse(["upscale", "--input", "a.png", "--output", "b"]);

        parsed.GetValue<int>("--scale").Should().Be(new TsdSr.Inference.UpscaleSettings().Scale);
        parsed.GetValue<string>("--color-fix").Should().Be("wavelet");
        parsed.GetValue<string>("--vae-tiling").Should().Be("auto");
        parsed.GetValue<string>("--device").Should().Be(new TsdSr.Inference.Hosting.TsdSrOptions().Device);
        parsed.GetValue<int>("--jpeg-quality").Should().Be(new TsdSr.Inference.Hosting.TsdSrOptions().JpegQuality);
    }

    private static string[] WeightArgs(string root) =>
        ["--model", root, "--lora", Path.Combine(root, "lora"), "--embeddings", Path.Combine(root, "embeddings")];

    private Task<int> Run(IEnumerable<string> args)
    {
        var root = new RootCommand { UpscaleCommand.Create(() => factory) };
        return root.Parse(["upscale", .. args]).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = this.err });
    }
}
