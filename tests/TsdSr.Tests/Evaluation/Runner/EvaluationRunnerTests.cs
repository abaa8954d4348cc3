using System.Text.Json;
using TsdSr.Evaluation.Metrics;
using TsdSr.Evaluation.Output;
using TsdSr.Evaluation.Runner;
using TsdSr.Imaging;
using TsdSr.Tests.Evaluation.FullReference;

namespace TsdSr.Tests.Evaluation.Runner;

public sealed class EvaluationRunnerTests : IDisposable
{
    private static readonly string[] Names = ["Canon_001_LR4.png", "Nikon_021_LR4.png"];
    private readonly string root = Directory.CreateTempSubdirectory("tsdsr-eval-").FullName;

    public EvaluationRunnerTests()
    {
        Directory.CreateDirectory(Sr);
        Directory.CreateDirectory(Hr);
        foreach (var n in Names)
        {
            File.Copy(EvaluationData.RealSr("osediff_sr", n), Path.Combine(Sr, n));
            File.Copy(EvaluationData.RealSr("hr", n), Path.Combine(Hr, n));
        }
    }

    private string Sr => Path.Combine(root, "sr");

    private string Hr => Path.Combine(root, "hr");

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void Per_image_values_and_means_match_pyiqa_for_paired_folders()
    {
        var progress = new List<EvaluationProgress>();
        var report = new EvaluationRunner().Run(
            new EvaluationOptions { SrDirectory = Sr, HrDirectory = Hr, Metrics = ["psnr", "ssim", "niqe"] },
            new SyncProgress<EvaluationProgress>(progress.Add));
        report.Images.Select(i => i.Name).Should().Equal(Names);
        foreach (var img in report.Images)
        {
            img.Values["psnr"].Should().BeApproximately(EvaluationData.Expected(img.Name, "psnr"), PsnrTests.PyiqaToleranceDb);
            img.Values["ssim"].Should().BeApproximately(EvaluationData.Expected(img.Name, "ssim"), SsimTests.PyiqaTolerance);
            img.Values["niqe"].Should().BeApproximately(EvaluationData.Expected(img.Name, "niqe"), 0.02);
        }

        report.Mean["psnr"].Should().BeApproximately(report.Images.Average(i => i.Values["psnr"]), 1e-12);
        progress.Select(p => p.Done).Should().Equal(1, 2);
        progress.Should().OnlyContain(p => p.Total == 2);
    }

    [Fact]
    public void Unpaired_files_are_reported_and_skipped()
    {
        File.Copy(EvaluationData.RealSr("osediff_sr", "Canon_006_LR4.png"), Path.Combine(Sr, "only_sr.png"));
        File.Copy(EvaluationData.RealSr("hr", "Canon_006_LR4.png"), Path.Combine(Hr, "only_hr.png"));
        var report = new EvaluationRunner().Run(new EvaluationOptions { SrDirectory = Sr, HrDirectory = Hr, Metrics = ["psnr"] });
        report.Images.Should().HaveCount(2);
        report.UnpairedSr.Should().Equal("only_sr.png");
        report.UnpairedHr.Should().Equal("only_hr.png");
        report.Warnings.Should().Contain(w => w.Contains("only_sr.png")).And.Contain(w => w.Contains("only_hr.png"));
    }

    [Fact]
    public void A_size_mismatch_fails_that_pair_naming_both_files_and_the_others_are_evaluated()
    {
        ImageCodec.SavePng(new RgbImage(8, 8, new byte[192]), Path.Combine(Hr, Names[0]));

        var report = new EvaluationRunner().Run(new EvaluationOptions { SrDirectory = Sr, HrDirectory = Hr, Metrics = ["psnr"] });

        report.Failures.Should().ContainSingle().Which.Reason.Should().Match($"Size mismatch: '*sr*{Names[0]}' is 512x512 but '*hr*{Names[0]}' is 8x8.");
        report.Images.Select(i => i.Name).Should().Equal(Names[1]);
        report.IsComplete.Should().BeFalse();
    }

    [Fact]
    public void No_reference_metrics_run_without_ground_truth_and_full_reference_ones_are_skipped()
    {
        var report = new EvaluationRunner().Run(new EvaluationOptions { SrDirectory = Sr, Metrics = null, WeightsDirectory = null });
        report.Metrics.Select(m => m.Name).Should().Equal("niqe");
        report.Warnings.Should().Contain(w => w.Contains("'psnr'") && w.Contains("--hr"));
        report.Warnings.Should().Contain(w => w.Contains("musiq_koniq.safetensors"));
    }

    [Fact]
    public void Default_metrics_skip_unavailable_ones_with_a_warning_naming_the_file()
    {
        var report = new EvaluationRunner().Run(new EvaluationOptions { SrDirectory = Sr, HrDirectory = Hr });
        report.Metrics.Select(m => m.Name).Should().Equal("psnr", "ssim", "niqe");
        report.Warnings.Should().Contain(w => w.Contains("alexnet.safetensors"));
        report.Warnings.Should().Contain(w => w.Contains("pt_inception-2015-12-05.safetensors"));
    }

    [Fact]
    public void An_image_where_NIQE_is_undefined_gets_NaN_and_the_reason_and_the_run_goes_on()
    {
        // A flat 128×128 image: its one 96×96 block has no finite AGGD features, so NIQE is undefined (NiqeTests).
        const string flat = "flat_128.png";
        ImageCodec.SavePng(new RgbImage(128, 128, Enumerable.Repeat((byte)90, 128 * 128 * 3).ToArray()), Path.Combine(Sr, flat));

        var report = new EvaluationRunner().Run(new EvaluationOptions { SrDirectory = Sr, Metrics = ["niqe"] });

        report.Images.Select(i => i.Name).Should().Equal(Names[0], Names[1], flat);
        double.IsNaN(report.Images[2].Values["niqe"]).Should().BeTrue();
        report.Images[0].Values["niqe"].Should().BeApproximately(EvaluationData.Expected(Names[0], "niqe"), 0.02);
        report.Images[2].Notes["niqe"].Should().Contain("undefined (NaN)").And.Contain("96x96");
        report.Warnings.Should().ContainSingle(w => w.StartsWith("niqe: no value for 1 image(s), left out of the mean:", StringComparison.Ordinal)
            && w.Contains(flat) && w.Contains("96x96"));
        report.Mean["niqe"].Should().BeApproximately((report.Images[0].Values["niqe"] + report.Images[1].Values["niqe"]) / 2, 1e-12,
            "the undefined image is left out of the mean, not turned into a NaN mean");
        ReportWriter.ToString(report, ReportFormat.Csv).Split('\n').Select(l => l.TrimEnd('\r')).Should().Contain($"{flat},", "a NaN is an empty cell");
    }

    [Fact]
    public void Explicitly_requested_unavailable_metrics_are_errors()
    {
        var act = () => new EvaluationRunner().Run(new EvaluationOptions { SrDirectory = Sr, HrDirectory = Hr, Metrics = ["psnr", "lpips"] });
        act.Should().Throw<MetricUnavailableException>().WithMessage("*alexnet.safetensors*");
    }

    [Fact]
    public void Explicit_full_reference_metrics_without_ground_truth_are_errors()
    {
        var act = () => new EvaluationRunner().Run(new EvaluationOptions { SrDirectory = Sr, Metrics = ["ssim"] });
        act.Should().Throw<ArgumentException>().WithMessage("*'ssim'*--hr*");
    }

    [Fact]
    public async Task Cancellation_stops_the_run()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var act = () => new EvaluationRunner().RunAsync(new EvaluationOptions { SrDirectory = Sr, HrDirectory = Hr, Metrics = ["psnr"] }, null, cts.Token);
        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public void Json_output_has_images_with_name_and_metrics_and_a_mean_object()
    {
        var report = new EvaluationRunner().Run(new EvaluationOptions { SrDirectory = Sr, HrDirectory = Hr, Metrics = ["psnr", "ssim"] });
        using var doc = JsonDocument.Parse(ReportWriter.ToString(report, ReportFormat.Json));
        var images = doc.RootElement.GetProperty("images");
        images.GetArrayLength().Should().Be(2);
        images[0].GetProperty("name").GetString().Should().Be(Names[0]);
        images[0].GetProperty("psnr").GetDouble().Should().Be(report.Images[0].Values["psnr"]);
        doc.RootElement.GetProperty("mean").GetProperty("ssim").GetDouble().Should().Be(report.Mean["ssim"]);
    }

    [Fact]
    public void Csv_output_has_a_header_one_row_per_image_and_a_mean_row()
    {
        var report = new EvaluationRunner().Run(new EvaluationOptions { SrDirectory = Sr, HrDirectory = Hr, Metrics = ["psnr"] });
        var lines = ReportWriter.ToString(report, ReportFormat.Csv).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        lines[0].Should().Be("image,psnr");
        lines[1].Should().StartWith(Names[0] + ",");
        lines[^1].Should().StartWith("mean,");
        lines.Should().HaveCount(4);
    }

    [Fact]
    public void Paper_row_follows_table_1_columns_and_decimals()
    {
        var report = new EvaluationRunner().Run(new EvaluationOptions { SrDirectory = Sr, HrDirectory = Hr, Metrics = ["psnr", "ssim"] });
        PaperTable.Header().Should().Be("| Method | PSNR↑ | SSIM↑ | LPIPS↓ | DISTS↓ | FID↓ | NIQE↓ | MUSIQ↑ | MANIQA↑ | CLIPIQA↑ |");
        var cells = PaperTable.Row(report, "ours").Split('|', StringSplitOptions.TrimEntries);
        cells[1].Should().Be("ours");
        cells[2].Should().MatchRegex(@"^\d+\.\d{2}$");
        cells[3].Should().MatchRegex(@"^0\.\d{4}$");
        cells[4].Should().Be("-");
        ReportWriter.ToString(report, ReportFormat.Table).Should().Contain("psnr↑").And.Contain("ssim↑").And.Contain("mean");
    }

    [Fact]
    public void Format_names_parse_case_insensitively_and_unknown_ones_fail()
    {
        ReportWriter.ParseFormat("JSON").Should().Be(ReportFormat.Json);
        var act = () => ReportWriter.ParseFormat("xml");
        act.Should().Throw<ArgumentException>().WithMessage("*xml*table, csv or json*");
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
