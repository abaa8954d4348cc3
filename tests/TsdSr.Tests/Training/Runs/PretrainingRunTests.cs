using System.Text.Json.Nodes;
using TsdSr.Core.SafeTensors;
using TsdSr.Imaging;
using TsdSr.Models.Autoencoders;
using TsdSr.Models.Transformers;
using TsdSr.Tests.Data;
using TsdSr.Tests.Models.Lora;
using TsdSr.Tests.TestSupport;
using TsdSr.Training.Checkpoints;
using TsdSr.Training.Config;
using TsdSr.Training.Metrics;
using TsdSr.Training.Pretraining;
using TsdSr.Training.Runs;

namespace TsdSr.Tests.Training.Runs;

/// <summary>
/// The VAE and teacher stages and the student stage on their export, each a few steps on tiny crops of synthetic
/// textures (never the evaluation photos): the loss falls, checkpoints resume exactly, and each stage's export is the
/// next stage's input.
/// </summary>
public sealed class PretrainingRunTests : IDisposable
{
    private readonly string root = TrainingTestSupport.TempDir();

    public PretrainingRunTests()
    {
        var hr = Path.Combine(root, "hr");
        Directory.CreateDirectory(hr);
        for (int i = 0; i < 4; i++)
        {
            ImageCodec.SavePng(DataTestImages.Texture(96, 80, (ulong)(100 + i)), Path.Combine(hr, $"t{i}.png"));
        }
    }

    public void Dispose() => TrainingTestSupport.DeleteDir(root);

    [Fact]
    public async Task The_vae_stage_lowers_its_loss_and_exports_a_vae_with_measured_latent_scaling()
    {
        var config = Config("vae", Vae());
        PretrainingResult result;
        using (var run = PretrainingRun.Open(config))
        {
            result = await run.RunAsync();
        }

        result.Cancelled.Should().BeFalse();
        (result.StartStep, result.NextStep).Should().Be((0, 12));
        var csv = CsvMetricsLogger.Read(Path.Combine(root, "vae", "metrics.csv"));
        AssertFalls(csv[PretrainingColumns.LossTotal]);
        csv[PretrainingColumns.PsnrRgb].Should().HaveCount(12).And.OnlyContain(p => double.IsFinite(p.Value));
        File.Exists(Path.Combine(root, "vae", "loss.png")).Should().BeTrue();

        var exported = AutoencoderKLConfig.FromFile(Path.Combine(result.Exported!, "config.json"));
        exported.BlockOutChannels.Should().Equal(AutoencoderKLConfig.Tiny.BlockOutChannels);
        exported.ScalingFactor.Should().NotBe(AutoencoderKLConfig.Tiny.ScalingFactor, "it is measured on the training latents");
        exported.ScalingFactor.Should().BeInRange(0.05, 20);
        exported.ShiftFactor.Should().NotBeNull();

        // The measured factor makes the latents of training crops unit-variance (up to crop sampling).
        using var vae = AutoencoderKL.FromPretrained(result.Exported!);
        using var scope = NewDisposeScope();
        using var image = ImageTensors.ToTensor(ImageCodec.Load(Path.Combine(root, "hr", "t0.png")));
        using var posterior = vae.Encode(image.mul(2).sub(1));
        var scaled = posterior.Mean.sub(exported.ShiftFactor!.Value).mul(exported.ScalingFactor);
        scaled.std().item<float>().Should().BeInRange(0.5f, 2f);
    }

    [Fact]
    public async Task A_vae_run_cancelled_at_step_3_resumes_to_the_same_losses_and_weights_as_an_uninterrupted_run()
    {
        using (var straight = PretrainingRun.Open(Config("straight", Vae(), maxSteps: 6)))
        {
            (await straight.RunAsync()).NextStep.Should().Be(6);
        }

        var config = Config("resumed", Vae(), maxSteps: 6);
        using (var cts = new CancellationTokenSource())
        using (var run = PretrainingRun.Open(config))
        {
            var cancelled = await run.RunAsync(new SyncProgress<PretrainingProgress>(p =>
            {
                if (p.Step == 2)
                {
                    cts.Cancel();
                }
            }), cts.Token);
            cancelled.Cancelled.Should().BeTrue();
            cancelled.NextStep.Should().Be(3);
            cancelled.LastCheckpoint!.GlobalStep.Should().Be(3);
            cancelled.Exported.Should().BeNull();
            Directory.Exists(Path.Combine(root, "resumed", "vae")).Should().BeFalse("nothing is exported before the last step");
        }

        using (var run = PretrainingRun.Open(config))
        {
            run.ResumedFrom!.GlobalStep.Should().Be(3);
            var resumed = await run.RunAsync();
            (resumed.StartStep, resumed.NextStep, resumed.StepsDone).Should().Be((3, 6, 3));
        }

        var expected = CsvMetricsLogger.Read(Path.Combine(root, "straight", "metrics.csv"));
        var actual = CsvMetricsLogger.Read(Path.Combine(root, "resumed", "metrics.csv"));
        foreach (var column in new[] { PretrainingColumns.LossTotal, PretrainingColumns.LossKl, PretrainingColumns.GradNorm })
        {
            actual[column].Should().Equal(expected[column], column);
        }

        using var a = SafetensorsFile.Open(Path.Combine(root, "straight", "vae", AutoencoderKL.WeightsFileName));
        using var b = SafetensorsFile.Open(Path.Combine(root, "resumed", "vae", AutoencoderKL.WeightsFileName));
        a.Tensors.Keys.Should().BeEquivalentTo(b.Tensors.Keys);
        foreach (var key in a.Tensors.Keys)
        {
            using var x = a.Read(key);
            using var y = b.Read(key);
            x.SameAs(y).Should().BeTrue(key);
        }
    }

    [Fact]
    public async Task The_teacher_stage_lowers_the_flow_loss_and_exports_a_base_model_the_student_stage_trains_on()
    {
        string vaeRun;
        using (var run = PretrainingRun.Open(Config("vae", Vae(), maxSteps: 4)))
        {
            vaeRun = Path.GetDirectoryName((await run.RunAsync()).Exported!)!;
        }

        var teacherConfig = Config("teacher", j =>
        {
            j["stage"] = "teacher";
            j["models"] = new JsonObject { ["base_model"] = vaeRun };
            j["teacher"] = new JsonObject { ["config"] = "tiny", ["optimizer"] = new JsonObject { ["learning_rate"] = 2e-3 }, ["prompt_tokens"] = 3 };
        }, maxSteps: 16);
        PretrainingResult teacher;
        using (var run = PretrainingRun.Open(teacherConfig))
        {
            teacher = await run.RunAsync();
        }

        AssertFalls(CsvMetricsLogger.Read(Path.Combine(root, "teacher", "metrics.csv"))[PretrainingColumns.LossFlow]);
        var folder = teacher.Exported!;
        SD3TransformerConfig.FromFile(Path.Combine(folder, "transformer", "config.json")).Should().Be(SD3TransformerConfig.Tiny);
        File.Exists(Path.Combine(folder, "vae", AutoencoderKL.WeightsFileName)).Should().BeTrue();
        File.Exists(Path.Combine(folder, "scheduler", "scheduler_config.json")).Should().BeTrue();
        using (var prompt = TsdSr.Core.Embeddings.PromptEmbeddingsLoader.Load(Path.Combine(folder, "embeddings", "default")))
        {
            prompt.PromptEmbeds.shape.Should().Equal(1, 3, SD3TransformerConfig.Tiny.JointAttentionDim);
        }

        // The student stage (LoRA, TSD with DASM, the backbone-free pixel loss) trains on the teacher's folder.
        var studentConfig = Config("student", j =>
        {
            j["stage"] = "student";
            j["data"]!["degradation"] = "seesr";
            j["models"] = new JsonObject
            {
                ["base_model"] = folder,
                ["default_prompt_embeds"] = Path.Combine(folder, "embeddings", "default"),
                ["null_prompt_embeds"] = Path.Combine(folder, "embeddings", "null"),
            };
            j["lora"] = new JsonObject { ["student_rank"] = 4, ["vae_rank"] = 4, ["fake_score_rank"] = 4 };
            j["student_optimizer"] = new JsonObject { ["learning_rate"] = 2e-3 };
            j["fake_score_optimizer"] = new JsonObject { ["learning_rate"] = 1e-3 };
            j["dasm"] = new JsonObject { ["enabled"] = true };
            j["loss"] = new JsonObject { ["guidance"] = new JsonObject { ["scale"] = 2.0 } };
            j["reconstruction"] = new JsonObject { ["lpips_weight"] = 0.0, ["pixel_weight"] = 1.0 };
        }, maxSteps: 12);
        using (var run = TrainingRun.Open(studentConfig))
        {
            var student = await run.RunAsync();
            student.ExportedStudent.Should().NotBeNull();
        }

        AssertFalls(CsvMetricsLogger.Read(Path.Combine(root, "student", "metrics.csv"))[MetricColumns.LossTotal]);
    }

    [Fact]
    public void Stage_settings_are_checked_with_the_key_that_is_wrong()
    {
        var vae = () => TsdSrTrainingConfig.Parse("""{ "stage": "vae", "data": { "pair_folders": ["p"] }, "vae": { "kl_weight": -1 } }""", "c.json");
        vae.Should().Throw<TrainingConfigException>().Which.Message.Should()
            .Contain("stage vae trains on HR images").And.Contain("vae.kl_weight must be a finite number >= 0, got -1");

        var teacher = () => TsdSrTrainingConfig.Parse(
            """{ "stage": "teacher", "data": { "hr_folders": ["h"] }, "models": { "default_prompt_embeds": "d" }, "teacher": { "degraded_fraction": 1.0 } }""", "c.json");
        teacher.Should().Throw<TrainingConfigException>().Which.Message.Should()
            .Contain("models.base_model must name the folder whose vae/").And.Contain("teacher.degraded_fraction must lie in [0, 1), got 1")
            .And.Contain("give both, or neither");
    }

    private static void AssertFalls(IReadOnlyList<(long Step, double Value)> series)
    {
        series.Should().OnlyContain(p => double.IsFinite(p.Value));
        double first = series.Take(3).Average(p => p.Value);
        double last = series.TakeLast(3).Average(p => p.Value);
        last.Should().BeLessThan(first, "a few steps on a handful of crops must lower the loss");
    }

    private static Action<JsonObject> Vae() => j =>
    {
        j["stage"] = "vae";
        j["vae"] = new JsonObject { ["config"] = "tiny", ["optimizer"] = new JsonObject { ["learning_rate"] = 2e-3 }, ["scaling_batches"] = 2 };
    };

    private TsdSrTrainingConfig Config(string output, Action<JsonObject> edit, int maxSteps = 12)
    {
        var json = new JsonObject
        {
            ["output_dir"] = Path.Combine(root, output),
            ["data"] = new JsonObject { ["hr_folders"] = new JsonArray(Path.Combine(root, "hr")), ["crop_size"] = 32, ["batch_size"] = 4, ["cache_megabytes"] = 16 },
            ["lr_schedule"] = new JsonObject { ["kind"] = "constant", ["warmup_steps"] = 0 },
            ["max_steps"] = maxSteps,
            ["checkpoint"] = new JsonObject { ["every"] = 4, ["keep_last"] = 2 },
            ["logging"] = new JsonObject { ["plot_every"] = 4 },
            ["dtype"] = "fp32",
            ["device"] = "cpu",
            ["seed"] = 7,
        };
        edit(json);
        var path = Path.Combine(root, output + ".json");
        File.WriteAllText(path, json.ToJsonString());
        return TsdSrTrainingConfig.Load(path);
    }
}
