using System.CommandLine;
using Microsoft.Extensions.Options;
using TsdSr.Cli.Commands;
using TsdSr.Inference.Hosting;
using TsdSr.Tests.Inference.Hosting;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Cli.Commands;

/// <summary>
/// <c>tsdsr upscale --input FILE --output X</c> and <c>UpscaleAsync(FILE, X)</c> decide the same thing for every shape
/// of X: the same file is written, or both refuse and leave the folder as it was.
/// </summary>
public sealed class UpscaleOutputSemanticsTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "tsdsr-output-semantics-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    // The shape of X, X itself, and the file both must write (null: both refuse and write nothing).
    public static TheoryData<string, string, string?> Outputs() => new()
    {
        { "a missing folder with a trailing separator", "out/", "out/photo.png" },
        { "a missing name without an extension (a folder)", "out", "out/photo.png" },
        { "an existing folder", "existing", "existing/photo.png" },
        { "a new file with an extension", "result.png", "result.png" },
        { "a new file whose extension picks the format", "result.jpg", "result.jpg" },
        { "a new file in missing folders", "deep/er/result.png", "deep/er/result.png" },
        { "an existing file, no overwrite", "taken.png", null },
        { "the input itself", "in/photo.png", null },
        { "an extension that names no format", "result.txt", null },
    };

    [Theory]
    [MemberData(nameof(Outputs))]
    public async Task The_cli_and_the_library_write_the_same_file_or_refuse_alike(string shape, string output, string? written)
    {
        var cli = Prepare("cli");
        var library = Prepare("library");
        var before = Listing(cli);

        var cliWrote = await RunCli(cli, output);
        var libraryWrote = await RunLibrary(library, output);

        cliWrote.Should().Be(written is not null, $"the CLI with {shape}");
        libraryWrote.Should().Be(cliWrote, $"for {shape} both must succeed or both refuse");
        Listing(library).Should().Equal(Listing(cli), $"for {shape} both must leave the same files behind");
        var added = Listing(cli).Select(l => l.Split(' ')[0]).Except(before.Select(l => l.Split(' ')[0])).ToArray();
        added.Should().Equal(written is null ? [] : [written], $"the file written for {shape}");
    }

    [Fact]
    public async Task The_comparison_can_tell_different_outcomes_apart()
    {
        var cli = Prepare("cli");
        var library = Prepare("library");

        await RunCli(cli, "out/");
        await RunLibrary(library, "other.png");

        Listing(library).Should().NotEqual(Listing(cli));
    }

    private string Prepare(string name)
    {
        var folder = Path.Combine(root, name);
        var files = new HostingTestFolders();
        Directory.CreateDirectory(Path.Combine(folder, "in"));
        Directory.CreateDirectory(Path.Combine(folder, "existing"));
        File.Copy(files.WritePng("in", "photo.png", 3, 2), Path.Combine(folder, "in", "photo.png"));
        File.WriteAllText(Path.Combine(folder, "taken.png"), "not mine to replace");
        files.Dispose();
        return folder;
    }

    private static async Task<bool> RunCli(string folder, string output)
    {
        var fixture = FixturePaths.Get("tsdsr_pipeline_tiny");
        var factory = new FakeTsdSrPipelineFactory();
        var command = new RootCommand { UpscaleCommand.Create(() => factory) };
        string[] args =
        [
            "upscale", "--model", fixture, "--lora", Path.Combine(fixture, "lora"), "--embeddings", Path.Combine(fixture, "embeddings"),
            "--device", "cpu", "--input", Path.Combine(folder, "in", "photo.png"), "--output", Path.Combine(folder, output),
        ];
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = await command.Parse(args).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        code.Should().BeOneOf([0, 2], stderr.ToString());
        return code == 0;
    }

    private static async Task<bool> RunLibrary(string folder, string output)
    {
        var fixture = FixturePaths.Get("tsdsr_pipeline_tiny");
        var options = new TsdSrOptions
        {
            ModelDirectory = fixture,
            LoraDirectory = Path.Combine(fixture, "lora"),
            EmbeddingsDirectory = Path.Combine(fixture, "embeddings"),
            Device = "cpu",
        };
        using var upscaler = new TsdSrUpscaler(Options.Create(options), new FakeTsdSrPipelineFactory());
        try
        {
            await upscaler.UpscaleAsync(Path.Combine(folder, "in", "photo.png"), Path.Combine(folder, output));
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    // Every file under the folder with its size and first bytes: what was written and what was left alone.
    private static string[] Listing(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => $"{Path.GetRelativePath(folder, f).Replace('\\', '/')} {new FileInfo(f).Length} {Convert.ToHexString(File.ReadAllBytes(f).AsSpan(0, 8))}")
            .Order(StringComparer.Ordinal)
            .ToArray();
}
