using System.CommandLine;
using TsdSr.Cli.Commands;
using TsdSr.Imaging;
using TsdSr.Tests.Data;

namespace TsdSr.Tests.Cli.Commands;

/// <summary><c>tsdsr degrade</c>: named skips, exit codes 0/1/2, --resume and --overwrite.</summary>
public sealed class DegradeCommandTests : IDisposable
{
    private readonly string dir = DataTestImages.TempDir();

    public DegradeCommandTests()
    {
        ImageCodec.SavePng(DataTestImages.Texture(100, 90, 1), Path.Combine(dir, "hr", "a.png"));
        ImageCodec.SavePng(DataTestImages.Texture(1, 1, 2), Path.Combine(dir, "hr", "dot.png"));
    }

    public void Dispose() => Directory.Delete(dir, true);

    private async Task<(int Code, string Output, string Error)> Invoke(params string[] extra)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var command = new RootCommand { DegradeCommand.Create() };
        string[] args = ["degrade", "--input", Path.Combine(dir, "hr"), "--output", Path.Combine(dir, "out"), "--crop", "64", "--preset", "stablesr", .. extra];
        int code = await command.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Small_images_are_skipped_with_a_reason_and_the_run_succeeds()
    {
        var (code, output, error) = await Invoke();

        code.Should().Be(0, error);
        error.Should().Contain("skip  dot.png: 1x1 is smaller than the 64x64 crop.");
        output.Should().Contain("1 pairs from 1 images (1 skipped)");
    }

    [Fact]
    public async Task A_crop_larger_than_every_image_makes_no_pair_names_why_and_exits_2()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var command = new RootCommand { DegradeCommand.Create() };
        string[] args = ["degrade", "--input", Path.Combine(dir, "hr"), "--output", Path.Combine(dir, "out"), "--crop", "512", "--preset", "stablesr"];

        int code = await command.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });

        code.Should().Be(2);
        error.ToString().Should().Contain("degrade: no pairs were made. Every image was skipped: 2 image(s) smaller than the 512x512 crop (choose a smaller --crop).");
    }

    [Fact]
    public async Task An_unreadable_file_is_named_the_others_are_done_and_the_exit_code_is_1()
    {
        await File.WriteAllBytesAsync(Path.Combine(dir, "hr", "broken.png"), []);

        var (code, _, error) = await Invoke();

        code.Should().Be(1);
        error.Should().Contain("FAIL  broken.png:").And.Contain("empty (0 bytes)").And.Contain("Failed: 1 file(s) could not be read: broken.png");
        File.Exists(Path.Combine(dir, "out", "gt", "0000000.png")).Should().BeTrue();
    }

    [Fact]
    public async Task A_rerun_into_the_same_folder_needs_resume_or_overwrite()
    {
        (await Invoke()).Code.Should().Be(0);

        var (refused, _, error) = await Invoke();
        var (resumed, output, _) = await Invoke("--resume");
        var (restarted, _, _) = await Invoke("--overwrite");

        refused.Should().Be(2);
        error.Should().Contain("(--resume or --overwrite)");
        resumed.Should().Be(0);
        output.Should().Contain("1 of them kept from the interrupted run");
        restarted.Should().Be(0);
    }
}
