using TsdSr.Cli.Commands;
using TsdSr.Imaging;
using TsdSr.Training.Metrics;

namespace TsdSr.Tests.Cli.Commands;

/// <summary><c>tsdsr plot</c>: redraws a run's metrics CSV; refuses to replace a file unless asked; names what is wrong.</summary>
public sealed class PlotCommandTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("tsdsr-plotcmd-").FullName;

    public PlotCommandTests()
    {
        using var logger = CsvMetricsLogger.Open(Csv, ["loss_total", "loss_tsd"]);
        for (int s = 0; s < 30; s++)
        {
            logger.Log(s, new Dictionary<string, double> { ["loss_total"] = 1.0 / (s + 1), ["loss_tsd"] = 0 });
        }
    }

    private string Csv => Path.Combine(dir, "metrics.csv");

    private string Png => Path.Combine(dir, "loss.png");

    private static int Run(params string[] args) => PlotCommand.Create().Parse(args).Invoke();

    [Fact]
    public void It_draws_the_terms_with_data_and_refuses_to_replace_the_png_without_overwrite()
    {
        Run("--metrics", Csv, "--output", Png, "--width", "300", "--panel-height", "150").Should().Be(ExitCodes.Success);
        var image = ImageCodec.Load(Png);
        (image.Width, image.Height).Should().Be((300, 150), "loss_tsd is all zero and gets no panel");

        var before = File.ReadAllBytes(Png);
        Run("--metrics", Csv, "--output", Png, "--width", "300", "--panel-height", "300").Should().Be(ExitCodes.SetupFailed);
        File.ReadAllBytes(Png).Should().Equal(before);
        Run("--metrics", Csv, "--output", Png, "--width", "300", "--panel-height", "300", "--overwrite").Should().Be(ExitCodes.Success);
        ImageCodec.Load(Png).Height.Should().Be(300);
    }

    [Fact]
    public void Bad_inputs_are_usage_errors_and_no_data_is_a_failure()
    {
        Run("--metrics", Path.Combine(dir, "missing.csv"), "--output", Png).Should().Be(ExitCodes.SetupFailed);
        Run("--metrics", Csv, "--output", Path.Combine(dir, "loss.jpg")).Should().Be(ExitCodes.SetupFailed);
        Run("--metrics", Csv, "--output", Png, "--columns", "loss_vsd").Should().Be(ExitCodes.SetupFailed);
        Run("--metrics", Csv, "--output", Png, "--width", "10").Should().Be(ExitCodes.SetupFailed);
        Run("--metrics", Csv, "--output", Png, "--columns", "loss_tsd").Should().Be(ExitCodes.SomeFailed);
        File.Exists(Png).Should().BeFalse();
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);
}
