using System.CommandLine;
using TsdSr.Cli.Commands;
using TsdSr.Imaging;
using TsdSr.Tests.Inference.Hosting;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Cli.Commands;

/// <summary><c>tsdsr upscale</c> end to end with the real pipeline on fixtures/tsdsr_pipeline_tiny.</summary>
public sealed class UpscaleCommandIntegrationTests : IDisposable
{
    private readonly HostingTestFolders folders = new();

    public void Dispose() => folders.Dispose();

    [Fact]
    public async Task The_command_upscales_a_folder_to_the_reference_output()
    {
        using var f = new PipelineFixture("case_c_small_resize");
        var root = FixturePaths.Get("tsdsr_pipeline_tiny");
        var inputDir = Path.Combine(folders.Root, "in");
        Directory.CreateDirectory(inputDir);
        File.Copy(f.InputPath, Path.Combine(inputDir, Path.GetFileName(f.InputPath)));
        var outputDir = Path.Combine(folders.Root, "out");
        using var output = new StringWriter();
        using var error = new StringWriter();
        var command = new RootCommand { UpscaleCommand.Create() };

        int code = await command.Parse(
        [
            "upscale", "--model", root, "--lora", Path.Combine(root, "lora"), "--embeddings", Path.Combine(root, "embeddings"),
            "--input", inputDir, "--output", outputDir, "--device", "cpu", "--dtype", "fp32", "--vae-tiling", "off",
        ]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });

        code.Should().Be(0, error.ToString());
        output.ToString().Should().Contain("Loaded on cpu (transformer fp32, VAE fp32)").And.Contain("Done: 1 upscaled, 0 failed");
        var expected = ImageCodec.Load(f.OutputPath("wavelet"));
        var actual = ImageCodec.Load(Path.Combine(outputDir, Path.GetFileName(f.InputPath)));
        var (count, max, total) = PipelineFixture.PixelDiff(actual.Pixels, expected.Pixels);
        (actual.Width, actual.Height).Should().Be((expected.Width, expected.Height));
        max.Should().BeLessThanOrEqualTo(1);
        ((double)count / total).Should().BeLessThanOrEqualTo(0.005);
    }
}
