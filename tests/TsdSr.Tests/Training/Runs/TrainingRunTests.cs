using System.Text.Json.Nodes;
using TsdSr.Core.SafeTensors;
using TsdSr.Data.Degradation;
using TsdSr.Inference;
using TsdSr.Inference.ColorFix;
using TsdSr.Inference.Pipeline;
using TsdSr.Tests.TestSupport;
using TsdSr.Training.Checkpoints;
using TsdSr.Training.Config;
using TsdSr.Training.Data;
using TsdSr.Training.Loop;
using TsdSr.Training.Metrics;
using TsdSr.Training.Runs;

namespace TsdSr.Tests.Training.Runs;

/// <summary>The run assembled from a JSON config on the tiny fixture models and real photos.</summary>
public sealed class TrainingRunTests : IDisposable
{
    private static readonly string[] Compared =
    [
        MetricColumns.LossTotal, MetricColumns.LossLpips, MetricColumns.LossLatentMse, MetricColumns.LossTsd, MetricColumns.LossFakeScore,
        MetricColumns.GradNormStudent, MetricColumns.GradNormFakeScore, MetricColumns.LrStudent, MetricColumns.LrFakeScore,
    ];

    private readonly RunTestFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task A_run_from_a_json_config_logs_checkpoints_plots_and_exports_a_student_the_upscaler_loads()
    {
        var config = folder.Config();
        TrainingRunResult result;
        TrainingRunPaths paths;
        using (var run = TrainingRun.Open(config))
        {
            paths = run.Paths;
            run.StartStep.Should().Be(0);
            run.ResumedFrom.Should().BeNull();
            result = await run.RunAsync();
        }

        result.Cancelled.Should().BeFalse();
        (result.StartStep, result.NextStep, result.StepsDone).Should().Be((0, 6, 6));
        result.Last!.SubSteps.Should().Be(4, "DASM is on");
        var csv = CsvMetricsLogger.Read(paths.MetricsCsv);
        csv[MetricColumns.LossTotal].Select(p => p.Step).Should().Equal(0, 1, 2, 3, 4, 5);
        foreach (var column in Compared)
        {
            csv[column].Should().HaveCount(6).And.OnlyContain(p => double.IsFinite(p.Value), column);
        }

        new CheckpointManager(paths.Checkpoints).List().Select(c => c.GlobalStep).Should().Equal(6, 4);
        File.ReadAllText(Path.Combine(paths.Checkpoints, CheckpointManager.LatestFileName)).Trim().Should().Be(CheckpointManager.FolderName(6));
        new FileInfo(paths.PlotPng).Length.Should().BeGreaterThan(0);
        result.ExportedStudent.Should().Be(paths.Student);

        // The exported student is what `tsdsr upscale --lora` loads: the pipeline takes it and upscales with it.
        using (var file = SafetensorsFile.Open(Path.Combine(paths.Student, StudentExport.TransformerFileName)))
        {
            file.Tensors.Keys.Should().NotBeEmpty().And.OnlyContain(k => k.StartsWith("transformer.", StringComparison.Ordinal));
        }

        using var pipeline = TsdSrPipeline.Load(new TsdSrModelPaths(RunTestFolder.Models, paths.Student, RunTestFolder.Embeddings), new TsdSrPipelineOptions { Device = "cpu" });
        using var fixture = new PipelineFixture("case_a_untiled");
        var input = fixture.Input;
        var output = pipeline.Upscale(input, new UpscaleSettings { ProcessSize = 0, ColorFix = ColorFixMode.None });
        (output.Width, output.Height).Should().Be((input.Width * 4, input.Height * 4));
    }

    [Fact]
    public async Task A_run_cancelled_at_step_3_checkpoints_it_and_resumes_to_the_same_losses_as_an_uninterrupted_run()
    {
        // Checkpoints every 2 steps, so the cancellation at 3 must write its own; 5 pairs in batches of 2 cross epochs.
        await CancelResumeAndCompare(folder.Config("straight"), folder.Config("resumed"));
    }

    [Fact]
    public async Task An_online_degradation_run_cancelled_at_step_3_resumes_to_the_same_losses_as_an_uninterrupted_run()
    {
        // HR photos cropped to 64 and degraded on the fly (default preset); 3 images in batches of 2 cross epochs, and
        // the checkpoint must restore the dataset position (order, crops and degradation counters) to repeat them.
        await CancelResumeAndCompare(
            folder.Config("online-straight", j => j["data"] = folder.OnlineData()),
            folder.Config("online-resumed", j => j["data"] = folder.OnlineData()));
    }

    private static async Task CancelResumeAndCompare(TsdSrTrainingConfig straightConfig, TsdSrTrainingConfig config)
    {
        TrainingRunPaths straightPaths;
        using (var run = TrainingRun.Open(straightConfig))
        {
            straightPaths = run.Paths;
            (await run.RunAsync()).NextStep.Should().Be(6);
        }

        TrainingRunPaths paths;
        using (var cts = new CancellationTokenSource())
        using (var run = TrainingRun.Open(config))
        {
            paths = run.Paths;
            var progress = new SyncProgress<TrainingProgress>(p =>
            {
                if (p.Step == 2)
                {
                    cts.Cancel();
                }
            });

            var cancelled = await run.RunAsync(progress, cts.Token);

            cancelled.Cancelled.Should().BeTrue();
            cancelled.NextStep.Should().Be(3);
            cancelled.LastCheckpoint!.GlobalStep.Should().Be(3);
            cancelled.ExportedStudent.Should().BeNull();
            Directory.Exists(paths.Student).Should().BeFalse();
        }

        using (var run = TrainingRun.Open(config))
        {
            run.ResumedFrom!.GlobalStep.Should().Be(3);
            run.StartStep.Should().Be(3);
            var resumed = await run.RunAsync();
            (resumed.StartStep, resumed.NextStep, resumed.StepsDone).Should().Be((3, 6, 3));
        }

        var expected = CsvMetricsLogger.Read(straightPaths.MetricsCsv);
        var actual = CsvMetricsLogger.Read(paths.MetricsCsv);
        foreach (var column in Compared)
        {
            actual[column].Select(p => p.Step).Should().Equal([0, 1, 2, 3, 4, 5], column);
            for (int i = 0; i < 6; i++)
            {
                actual[column][i].Value.Should().Be(expected[column][i].Value, $"{column} at step {i}");
            }
        }

        foreach (var name in new[] { StudentExport.TransformerFileName, StudentExport.VaeFileName })
        {
            using var a = SafetensorsFile.Open(Path.Combine(straightPaths.Student, name));
            using var b = SafetensorsFile.Open(Path.Combine(paths.Student, name));
            b.Tensors.Keys.Should().BeEquivalentTo(a.Tensors.Keys);
            foreach (var key in a.Tensors.Keys)
            {
                using var ta = a.Read(key);
                using var tb = b.Read(key);
                TrainingTestSupport.ExactlyEqual(ta, tb).Should().BeTrue(key);
            }
        }
    }

    [Fact]
    public async Task A_damaged_newest_checkpoint_is_skipped_and_the_run_resumes_from_the_previous_one()
    {
        var config = folder.Config(edit: j => j["max_steps"] = 4);
        TrainingRunPaths paths;
        using (var run = TrainingRun.Open(config))
        {
            paths = run.Paths;
            await run.RunAsync();
        }

        // A save killed half-way: the newest checkpoint's adapter file is truncated (its manifest no longer matches).
        var newest = Path.Combine(paths.Checkpoints, CheckpointManager.FolderName(4), "adapter-student_transformer.safetensors");
        using (var fs = new FileStream(newest, FileMode.Open))
        {
            fs.SetLength(fs.Length / 2);
        }

        using var resumed = TrainingRun.Open(folder.Config(edit: j => j["max_steps"] = 6));
        resumed.ResumedFrom!.GlobalStep.Should().Be(2);
        resumed.StartStep.Should().Be(2);
    }

    [Fact]
    public void Missing_inputs_are_all_named_with_their_config_keys_and_expected_places_before_anything_loads()
    {
        var nowhere = Path.Combine(folder.Root, "nowhere");
        var config = folder.Config(edit: j =>
        {
            j["models"]!["base_model"] = Path.Combine(nowhere, "sd3");
            j["models"]!["default_prompt_embeds"] = Path.Combine(nowhere, "default");
            j["models"]!["lpips_backbone"] = Path.Combine(nowhere, "alexnet.safetensors");
            j["data"]!["pair_folders"] = new JsonArray(folder.Pairs, Path.Combine(nowhere, "pairs"));
        });

        var act = () => TrainingRun.Open(config);

        var e = act.Should().Throw<TrainingRunFilesException>().Which;
        e.Missing.Should().HaveCount(4);
        e.Missing.Should().ContainSingle(m => m.StartsWith("models.base_model:") && m.Contains(Path.Combine(nowhere, "sd3")));
        e.Missing.Should().ContainSingle(m => m.StartsWith("models.default_prompt_embeds:") && m.Contains(Path.Combine(nowhere, "default")));
        e.Missing.Should().ContainSingle(m => m.StartsWith("models.lpips_backbone:") && m.Contains("alexnet.safetensors"));
        e.Missing.Should().ContainSingle(m => m.StartsWith("data.pair_folders:") && m.Contains(Path.Combine(nowhere, "pairs"))
            && m.Contains($"tsdsr degrade --input HR_FOLDER --output '{Path.Combine(nowhere, "pairs")}'"), "a missing folder names the command that makes it");
        Directory.Exists(Path.Combine(folder.Root, "run")).Should().BeFalse("nothing is written before the inputs are complete");
    }

    [Fact]
    public void Missing_or_empty_hr_folders_and_a_missing_degradation_file_are_named_with_their_config_keys()
    {
        var nowhere = Path.Combine(folder.Root, "nowhere");
        var empty = Path.Combine(folder.Root, "empty");
        Directory.CreateDirectory(empty);
        File.WriteAllText(Path.Combine(empty, "notes.txt"), "no image");
        var config = folder.Config(edit: j =>
        {
            var data = folder.OnlineData();
            data["hr_folders"] = new JsonArray(folder.HrFolder, Path.Combine(nowhere, "hr"), empty);
            data["degradation"] = Path.Combine(nowhere, "degradation.json");
            j["data"] = data;
        });

        var act = () => TrainingRun.Open(config);

        var e = act.Should().Throw<TrainingRunFilesException>().Which;
        e.Missing.Should().HaveCount(3);
        e.Missing.Should().ContainSingle(m => m.StartsWith("data.hr_folders: HR image folder not found") && m.Contains(Path.Combine(nowhere, "hr"))
            && m.Contains("scripts/build-photo-pool.sh"), "a missing folder names what makes it");
        e.Missing.Should().ContainSingle(m => m.StartsWith("data.hr_folders: no ") && m.Contains(empty));
        e.Missing.Should().ContainSingle(m => m.StartsWith("data.degradation:") && m.Contains("degradation.json") && m.Contains("seesr"));
    }

    [Fact]
    public void An_online_run_uses_the_degraded_source_and_an_invalid_degradation_file_is_a_config_error()
    {
        var good = folder.Config(edit: j => j["data"] = folder.OnlineData());
        using (var source = TrainingRun.OpenData(good) as DegradedBatchSource)
        {
            source.Should().NotBeNull();
            source!.Dataset.Degradation.Config.Should().Be(DegradationConfig.SeeSR, "the default is the preset that made TSD-SR's pairs");
            source.Dataset.Options.Crop.Size.Should().Be(64);
            source.Dataset.Images.Files.Should().HaveCount(3);
        }

        var file = Path.Combine(folder.Root, "bad-degradation.json");
        File.WriteAllText(file, """{ "first": { "jpeg_quality": { "min": 0, "max": 95 } } }""");
        var bad = folder.Config(edit: j =>
        {
            var data = folder.OnlineData();
            data["degradation"] = file;
            j["data"] = data;
        });

        FluentActions.Invoking(() => TrainingRun.OpenData(bad)).Should().Throw<TrainingConfigException>()
            .Which.Errors.Should().ContainSingle().Which.Should().StartWith("data.degradation: ").And.Contain("First.JpegQuality");
    }

    [Fact]
    public void A_positive_lpips_weight_without_a_backbone_names_the_missing_key_and_the_way_out()
    {
        var config = folder.Config(edit: j => j["models"]!.AsObject().Remove("lpips_backbone"));

        var act = () => TrainingRun.Open(config);

        act.Should().Throw<TrainingRunFilesException>()
            .Which.Missing.Should().ContainSingle().Which.Should().StartWith("models.lpips_backbone: not given").And.Contain("reconstruction.lpips_weight");
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
