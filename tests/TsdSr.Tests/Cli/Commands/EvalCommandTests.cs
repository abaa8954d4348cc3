using System.CommandLine;
using TsdSr.Cli.Commands;
using TsdSr.Imaging;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Cli.Commands;

/// <summary><c>tsdsr eval</c>: per-image failures instead of stack traces, exit codes 0/1/2, outputs checked first.</summary>
public sealed class EvalCommandTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("tsdsr-eval-cli-").FullName;

    public EvalCommandTests()
    {
        foreach (var (name, value) in new[] { ("a.png", (byte)100), ("b.png", (byte)120) })
        {
            ImageCodec.Save(Flat(value), Path.Combine(Sr, name));
            ImageCodec.Save(Flat(110), Path.Combine(Hr, name));
        }
    }

    private string Sr => Path.Combine(root, "sr");

    private string Hr => Path.Combine(root, "hr");

    public void Dispose()
    {
        SpecialFiles.MakeWritable(root);
        Directory.Delete(root, recursive: true);
    }

    private static RgbImage Flat(byte value) => new(16, 16, Enumerable.Repeat(value, 16 * 16 * 3).ToArray());

    private static async Task<(int Code, string Output, string Error)> Invoke(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var command = new RootCommand { EvalCommand.Create() };
        int code = await command.Parse(["eval", .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task A_clean_run_exits_0()
    {
        var (code, output, error) = await Invoke("--sr", Sr, "--hr", Hr, "--metrics", "psnr,ssim");

        code.Should().Be(0, error);
        output.Should().Contain("a.png").And.Contain("mean");
    }

    [Fact]
    public async Task The_summary_table_goes_to_standard_output_unless_a_csv_or_json_report_is_there()
    {
        var header = TsdSr.Evaluation.Output.PaperTable.Header();

        var (code, output, error) = await Invoke("--sr", Sr, "--hr", Hr, "--metrics", "psnr");
        var (jsonCode, json, jsonError) = await Invoke("--sr", Sr, "--hr", Hr, "--metrics", "psnr", "--format", "json");

        code.Should().Be(0, error);
        output.Should().Contain(header);
        error.Should().NotContain(header);
        jsonCode.Should().Be(0, jsonError);
        json.Should().NotContain(header, "standard output holds the JSON report alone");
        jsonError.Should().Contain(header);
    }

    [Fact]
    public async Task A_corrupt_image_is_a_named_fail_line_the_rest_is_scored_and_the_exit_code_is_1()
    {
        await File.WriteAllTextAsync(Path.Combine(Sr, "c.png"), "garbage");
        File.Copy(Path.Combine(Hr, "a.png"), Path.Combine(Hr, "c.png"));

        var (code, output, error) = await Invoke("--sr", Sr, "--hr", Hr, "--metrics", "psnr");

        code.Should().Be(1);
        error.Should().Contain("FAIL  c.png: Cannot read image").And.Contain("Failed: 1 image(s) could not be evaluated");
        error.Should().NotContain("   at ", "no stack trace");
        output.Should().Contain("a.png").And.Contain("b.png");
    }

    [Fact]
    public async Task A_read_only_output_is_refused_before_any_image_is_scored()
    {
        var folder = SpecialFiles.UnwritableFolder(root);

        var (code, _, error) = await Invoke("--sr", Sr, "--hr", Hr, "--metrics", "psnr", "--output", Path.Combine(folder, "report.csv"));

        code.Should().Be(2);
        error.Should().Contain("not writable").And.NotContain("[1/2]");
    }

    [Fact]
    public async Task An_existing_output_is_refused_until_overwrite_is_given()
    {
        var report = Path.Combine(root, "report.csv");
        await File.WriteAllTextAsync(report, "precious");

        var (refused, _, error) = await Invoke("--sr", Sr, "--hr", Hr, "--metrics", "psnr", "--format", "csv", "--output", report);

        refused.Should().Be(2);
        error.Should().Contain($"'{report}' already exists; pass --overwrite");
        (await File.ReadAllTextAsync(report)).Should().Be("precious");

        var (code, _, _) = await Invoke("--sr", Sr, "--hr", Hr, "--metrics", "psnr", "--format", "csv", "--output", report, "--overwrite");

        code.Should().Be(0);
        (await File.ReadAllTextAsync(report)).Should().StartWith("image,psnr");
    }

    [Fact]
    public async Task Garbage_weights_are_named_without_a_stack_trace()
    {
        var weights = Directory.CreateDirectory(Path.Combine(root, "weights")).FullName;
        await File.WriteAllTextAsync(Path.Combine(weights, "alexnet.safetensors"), "garbage");

        var (explicitCode, _, explicitError) = await Invoke("--sr", Sr, "--hr", Hr, "--metrics", "lpips", "--weights", weights);
        var (defaultCode, _, defaultError) = await Invoke("--sr", Sr, "--hr", Hr, "--weights", weights);

        explicitCode.Should().Be(2);
        explicitError.Should().Contain("error: Metric 'lpips' could not be created:").And.NotContain("   at ");
        defaultCode.Should().Be(1);
        defaultError.Should().Contain("error: Metric 'lpips' could not be created:");
    }

    [Fact]
    public async Task The_pixel_limit_has_a_flag()
    {
        var (code, _, error) = await Invoke("--sr", Sr, "--hr", Hr, "--metrics", "psnr", "--max-pixels", "100");

        code.Should().Be(1);
        error.Should().Contain("over the limit of 100 (EvaluationOptions.MaxPixels; tsdsr eval --max-pixels)");
    }
}
