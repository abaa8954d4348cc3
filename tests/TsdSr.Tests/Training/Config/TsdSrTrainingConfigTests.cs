using TsdSr.Losses;
using TsdSr.Losses.FakeScore;
using TsdSr.Losses.Reconstruction;
using TsdSr.Losses.Scores;
using TsdSr.Training.Config;
using TsdSr.Training.Dasm;
using TsdSr.Training.Loop;
using TsdSr.Training.Optimization;
using TsdSr.Training.Runs;
using TsdSr.Training.Schedules;

namespace TsdSr.Tests.Training.Config;

public sealed class TsdSrTrainingConfigTests
{
    private const string Minimal = """
        {
          // comments are allowed
          "data": { "pair_folders": ["data/pairs"] },
          "models": {
            "base_model": "models/sd3",
            "default_prompt_embeds": "emb/default",
            "null_prompt_embeds": "emb/null",
          },
        }
        """;

    [Fact]
    public void A_minimal_file_gets_the_released_script_defaults()
    {
        var c = TsdSrTrainingConfig.Parse(Minimal);
        c.Data.BatchSize.Should().Be(2);
        c.StudentOptimizer.LearningRate.Should().Be(5e-6);
        c.FakeScoreOptimizer.LearningRate.Should().Be(1e-6);
        c.StudentOptimizer.WeightDecay.Should().Be(1e-4);
        c.LrSchedule.Kind.Should().Be(LrScheduleKind.CosineWithRestarts);
        c.LrSchedule.WarmupSteps.Should().Be(3000);
        c.Dasm.Enabled.Should().BeFalse();
        c.Dasm.ActiveSubSteps.Should().Be(1);
        c.Dasm.BatchMode.Should().Be(DasmBatchMode.PerSample);
        c.Loss.Guidance.Scale.Should().Be(7.5);
        c.Loss.Distillation.VsdWeight.Should().Be(0.7);
        c.Reconstruction.LpipsWeight.Should().Be(1.0);
        c.Lora.FakeScoreRank.Should().Be(64);
        c.MaxSteps.Should().Be(200000);
        c.Seed.Should().Be(43UL);
        c.Schedule.TotalSteps.Should().Be(200000);
    }

    [Fact]
    public void The_section_defaults_are_the_runtime_records_defaults()
    {
        var c = TsdSrTrainingConfig.Parse(Minimal);

        c.StudentOptimizer.Should().Be(AdamWSettings.Student);
        c.FakeScoreOptimizer.Should().Be(AdamWSettings.FakeScore);
        (c.Dasm with { Enabled = true }).Should().BeEquivalentTo(new DasmOptions());
        c.PixelLoss.Should().Be(new PixelLossOptions());
        TrainingRun.StepOptions(c).Should().BeEquivalentTo(TrainingStepOptions.Reference);
    }

    [Fact]
    public void A_partial_section_keeps_the_configs_defaults_for_the_keys_it_leaves_out()
    {
        var c = TsdSrTrainingConfig.Parse(Minimal.Replace("\"data\"",
            "\"fake_score_optimizer\": { \"weight_decay\": 0 }, \"dasm\": { \"step_size\": 40 }, \"loss\": { \"guidance\": { \"scale\": 5 } }, \"data\""));

        c.FakeScoreOptimizer.Should().Be(AdamWSettings.FakeScore with { WeightDecay = 0 }, "the fake score's own lr 1e-6 stays, not AdamWSettings' 5e-6");
        c.Dasm.Should().BeEquivalentTo(DasmOptions.Off with { StepSize = 40 }, "DASM stays off, as the config's default says");
        c.Loss.Should().BeEquivalentTo(TrainingStepOptions.Reference with { Guidance = GuidanceOptions.Reference with { Scale = 5 } });
    }

    [Fact]
    public void The_loss_section_is_the_step_options_record_so_gamma_schedules_and_fake_score_weighting_are_reachable()
    {
        var c = TsdSrTrainingConfig.Parse(Minimal.Replace("\"data\"",
            "\"loss\": { \"gamma\": { \"start\": 0, \"end\": 10, \"ramp_steps\": 500 }, \"fake_score\": { \"weighting\": \"cos_map\" }, \"distillation\": { \"vsd_weight\": 1 } }, \"reconstruction\": { \"lpips_weight\": 0, \"pixel_weight\": 2 }, \"data\""));

        var step = TrainingRun.StepOptions(c);
        (step.Gamma.At(0), step.Gamma.At(250), step.Gamma.At(900)).Should().Be((0.0, 5.0, 10.0));
        step.FakeScore.Weighting.Should().Be(LossWeightingScheme.CosMap);
        step.Distillation.VsdWeight.Should().Be(1.0);
        step.PerceptualWeight.Should().Be(2.0, "the pixel distance alone carries its weight into the step");
    }

    [Fact]
    public void A_constant_gamma_given_as_start_only_is_an_error_not_a_silent_default()
    {
        FluentActions.Invoking(() => TsdSrTrainingConfig.Parse(Minimal.Replace("\"data\"", "\"loss\": { \"gamma\": { \"start\": 50 } }, \"data\"")))
            .Should().Throw<TrainingConfigException>().Which.Errors.Should().ContainSingle().Which.Should().StartWith("loss: ").And.Contain("no delay or ramp");
    }

    [Fact]
    public void Enum_values_are_snake_case_strings()
    {
        var c = TsdSrTrainingConfig.Parse(Minimal.Replace("\"data\"", "\"dasm\": { \"enabled\": true, \"batch_mode\": \"first_sample_for_batch\" }, \"lr_schedule\": { \"kind\": \"constant_with_warmup\" }, \"data\""));
        c.Dasm.BatchMode.Should().Be(DasmBatchMode.FirstSampleForBatch);
        c.Dasm.ActiveSubSteps.Should().Be(4);
        c.LrSchedule.Kind.Should().Be(LrScheduleKind.ConstantWithWarmup);
    }

    [Fact]
    public void Unknown_keys_are_errors_that_name_the_key()
    {
        FluentActions.Invoking(() => TsdSrTrainingConfig.Parse(Minimal.Replace("\"data\": {", "\"data\": { \"batchsize\": 4,"), "x.json"))
            .Should().Throw<TrainingConfigException>().WithMessage("*x.json*batchsize*");
    }

    [Fact]
    public void Unknown_keys_at_every_depth_and_invalid_values_are_listed_together_with_the_nearest_valid_key()
    {
        var json = Minimal.Replace("\"data\": {", "\"max_stpes\": 10, \"lora\": { \"student_rnk\": 4, \"vae_rank\": 0 }, \"student_optimizer\": { \"learning_rate\": -1 }, \"zzzz\": 1, \"data\": {");
        var e = FluentActions.Invoking(() => TsdSrTrainingConfig.Parse(json, "x.json")).Should().Throw<TrainingConfigException>().Which;

        e.Errors.Should().Contain("max_stpes: unknown key at the top level (did you mean 'max_steps'?).");
        e.Errors.Should().Contain("lora.student_rnk: unknown key in 'lora' (did you mean 'student_rank'?).");
        e.Errors.Should().Contain(m => m.StartsWith("zzzz: unknown key at the top level; valid keys: ", StringComparison.Ordinal) && m.Contains("max_steps"));
        e.Errors.Should().Contain(m => m.StartsWith("lora.vae_rank", StringComparison.Ordinal));
        e.Errors.Should().Contain(m => m.StartsWith("student_optimizer", StringComparison.Ordinal) && m.Contains("learning_rate", StringComparison.Ordinal));
        e.Errors.Should().HaveCount(5);
    }

    [Fact]
    public void Wrong_types_are_errors_with_the_path()
    {
        FluentActions.Invoking(() => TsdSrTrainingConfig.Parse(Minimal.Replace("\"data\": {", "\"data\": { \"batch_size\": \"two\",")))
            .Should().Throw<TrainingConfigException>().Which.Errors.Should().ContainSingle().Which.Should().StartWith("data.batch_size");
    }

    [Fact]
    public void Every_invalid_value_is_listed()
    {
        var json = Minimal.Replace("\"data\": { \"pair_folders\": [\"data/pairs\"] }",
            "\"data\": { \"pair_folders\": [], \"batch_size\": 0 }, \"loss\": { \"distillation\": { \"vsd_weight\": 1.5 } }, \"dtype\": \"int8\", \"device\": \"tpu\", \"student_optimizer\": { \"learning_rate\": -1 }");
        var e = FluentActions.Invoking(() => TsdSrTrainingConfig.Parse(json)).Should().Throw<TrainingConfigException>().Which;
        e.Errors.Should().HaveCount(6);
        e.Errors.Should().Contain(m => m.StartsWith("data.pair_folders", StringComparison.Ordinal));
        e.Errors.Should().Contain(m => m.StartsWith("data.batch_size", StringComparison.Ordinal));
        e.Errors.Should().Contain(m => m.StartsWith("loss: ", StringComparison.Ordinal) && m.Contains("VsdWeight", StringComparison.Ordinal));
        e.Errors.Should().Contain(m => m.StartsWith("dtype", StringComparison.Ordinal));
        e.Errors.Should().Contain(m => m.StartsWith("device", StringComparison.Ordinal));
        e.Errors.Should().Contain(m => m.StartsWith("student_optimizer", StringComparison.Ordinal));
    }

    [Fact]
    public void Hr_folders_select_online_degradation_with_reference_crop_scale_and_preset_defaults()
    {
        var c = TsdSrTrainingConfig.Parse(Minimal.Replace("\"pair_folders\": [\"data/pairs\"]", "\"hr_folders\": [\"data/hr\"]"));
        c.Data.IsOnline.Should().BeTrue();
        (c.Data.CropSize, c.Data.Scale, c.Data.Degradation).Should().Be((512, 4, null));
        c.Validate().Should().BeEmpty();
        TsdSrTrainingConfig.Parse(c.ToJson()).Should().BeEquivalentTo(c);
        TsdSrTrainingConfig.Parse(Minimal).Data.IsOnline.Should().BeFalse();
    }

    [Theory]
    [InlineData("\"pair_folders\": [\"p\"], \"hr_folders\": [\"h\"]", "data.pair_folders and data.hr_folders are alternatives")]
    [InlineData("\"pair_folders\": []", "data.pair_folders (offline pairs) or data.hr_folders")]
    [InlineData("\"hr_folders\": [\"h\", \" \"]", "data.hr_folders must not contain empty paths")]
    [InlineData("\"hr_folders\": [\"h\"], \"crop_size\": 100", "data.crop_size must be a positive multiple of 16")]
    [InlineData("\"hr_folders\": [\"h\"], \"scale\": 3", "data.scale must be 2 or 4")]
    [InlineData("\"hr_folders\": [\"h\"], \"degradation\": \"\"", "data.degradation must be a preset name")]
    [InlineData("\"pair_folders\": [\"p\"], \"degradation\": \"osediff\"", "data.degradation applies to data.hr_folders only")]
    public void Data_source_errors_name_the_key(string data, string error)
    {
        var json = Minimal.Replace("\"pair_folders\": [\"data/pairs\"]", data);
        FluentActions.Invoking(() => TsdSrTrainingConfig.Parse(json)).Should().Throw<TrainingConfigException>()
            .Which.Errors.Should().ContainSingle().Which.Should().StartWith(error);
    }

    [Fact]
    public void Missing_required_paths_are_reported()
    {
        FluentActions.Invoking(() => TsdSrTrainingConfig.Parse("{}"))
            .Should().Throw<TrainingConfigException>().Which.Errors.Should().Contain(m => m.StartsWith("models.base_model", StringComparison.Ordinal));
    }

    [Fact]
    public void Json_round_trip_keeps_every_value()
    {
        var c = TsdSrTrainingConfig.Parse(Minimal) with { Seed = 7, Dtype = "fp32" };
        var again = TsdSrTrainingConfig.Parse(c.ToJson());
        again.ToJson().Should().Be(c.ToJson());
    }

    [Theory]
    [InlineData("training-config.tiny.json")]
    [InlineData("training-config.tiny-online.json")]
    [InlineData("training-config.sd3-medium.json")]
    public void The_sample_configs_in_docs_are_valid(string name)
    {
        var path = Path.Combine(TrainingTestSupport.RepoRoot(), "docs", name);
        var c = TsdSrTrainingConfig.Load(path);
        c.Validate().Should().BeEmpty();
    }

    // scripts/nano holds training configs and the degradation configs they name (degradation-*.json).
    public static TheoryData<string> NanoScriptConfigs() => NanoJson(degradation: false);

    public static TheoryData<string> NanoDegradationConfigs() => NanoJson(degradation: true);

    private static TheoryData<string> NanoJson(bool degradation)
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Path.Combine(TrainingTestSupport.RepoRoot(), "scripts", "nano"), "*.json").Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(path).StartsWith("degradation-", StringComparison.Ordinal) == degradation)
            {
                data.Add(Path.GetFileName(path));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NanoDegradationConfigs))]
    public void The_nano_degradation_configs_load(string name)
    {
        var c = TsdSr.Data.Degradation.DegradationConfigFile.Load(Path.Combine(TrainingTestSupport.RepoRoot(), "scripts", "nano", name));
        c.Name.Should().StartWith("nano-");
    }

    [Theory]
    [MemberData(nameof(NanoScriptConfigs))]
    public void The_nano_script_configs_load(string name)
    {
        var c = TsdSrTrainingConfig.Load(Path.Combine(TrainingTestSupport.RepoRoot(), "scripts", "nano", name));
        c.Validate().Should().BeEmpty();
    }

    [Fact]
    public void A_missing_file_is_reported_with_its_path()
    {
        FluentActions.Invoking(() => TsdSrTrainingConfig.Load("/nonexistent/train.json"))
            .Should().Throw<TrainingConfigException>().WithMessage("*/nonexistent/train.json*does not exist*");
    }

    [Fact]
    public void Two_stage_recipe_uses_mse_without_dasm_then_dasm_without_mse()
    {
        var c = TsdSrTrainingConfig.Parse(Minimal.Replace("\"data\"", "\"recipe\": { \"two_stage\": true, \"stage1_steps\": 100 }, \"data\""));
        var first = c.StageAt(99);
        var second = c.StageAt(100);
        (first.Number, first.Dasm.ActiveSubSteps, first.LatentMseWeight).Should().Be((1, 1, 1.0));
        (second.Number, second.Dasm.ActiveSubSteps, second.LatentMseWeight).Should().Be((2, 4, 0.0));
        var single = TsdSrTrainingConfig.Parse(Minimal).StageAt(1000);
        (single.Number, single.Dasm.ActiveSubSteps, single.LatentMseWeight).Should().Be((1, 1, 1.0));
    }
}
