using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using TsdSr.Losses.Reconstruction;
using TsdSr.Training.Dasm;
using TsdSr.Training.Loop;
using TsdSr.Training.Optimization;
using TsdSr.Training.Precision;
using TsdSr.Training.Schedules;
using TsdSr.Core.Configuration;
using TsdSr.Core.Devices;

namespace TsdSr.Training.Config;

/// <summary>
/// Everything a training run needs, read from one JSON file (snake_case keys, comments and trailing commas allowed,
/// unknown keys rejected). Defaults are those of the official TSD-SR training script; docs/training.md describes
/// every key. The sections that configure a runtime component are that component's own record, key for key
/// (<see cref="AdamWSettings"/>, <see cref="DasmOptions"/>, <see cref="TrainingStepOptions"/>,
/// <see cref="PixelLossOptions"/>); a file is laid over these defaults, so a partial section keeps the rest.
/// </summary>
public sealed record TsdSrTrainingConfig
{
    /// <summary>JSON options used to read and write configs.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = UserConfigJson.CreateOptions();

    // Unknown keys are collected by UserConfigKeys with suggestions, so the serializer skips them instead of stopping.
    private static JsonSerializerOptions LenientJsonOptions { get; } = new(JsonOptions) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip };

    /// <summary>What this run trains: student (default), vae or teacher.</summary>
    public TrainingStageKind Stage { get; init; } = TrainingStageKind.Student;

    /// <summary>Folder for checkpoints, metrics, plots and the exported student.</summary>
    public string OutputDir { get; init; } = "runs/tsdsr";

    /// <summary>Training data.</summary>
    public DataSection Data { get; init; } = new();

    /// <summary>Models and embeddings.</summary>
    public ModelsSection Models { get; init; } = new();

    /// <summary>LoRA ranks.</summary>
    public LoraSection Lora { get; init; } = new();

    /// <summary>AdamW of the student (transformer LoRA + VAE-encoder LoRA): the reference's lr 5e-6.</summary>
    public AdamWSettings StudentOptimizer { get; init; } = AdamWSettings.Student;

    /// <summary>AdamW of the fake-score LoRA: the reference's lr 1e-6.</summary>
    public AdamWSettings FakeScoreOptimizer { get; init; } = AdamWSettings.FakeScore;

    /// <summary>Learning-rate schedule.</summary>
    public LrScheduleSection LrSchedule { get; init; } = new();

    /// <summary>DASM: off by default, as in the released script (<c>dasm.enabled</c> turns it on with the reference's sub-steps).</summary>
    public DasmOptions Dasm { get; init; } = DasmOptions.Off;

    /// <summary>The distillation step: guidance, λ (distillation.vsd_weight), γ (gamma), fake-score loss, teacher indices.</summary>
    public TrainingStepOptions Loss { get; init; } = TrainingStepOptions.Reference;

    /// <summary>The data-loss terms around the step: LPIPS, the pixel distance and the latent MSE.</summary>
    public ReconstructionSection Reconstruction { get; init; } = new();

    /// <summary>Weights of the backbone-free pixel distance (VAE stage, and the student's <c>reconstruction.pixel_weight</c> term).</summary>
    public PixelLossOptions PixelLoss { get; init; } = new();

    /// <summary>The VAE stage.</summary>
    public VaeStageSection Vae { get; init; } = new();

    /// <summary>The teacher stage.</summary>
    public TeacherStageSection Teacher { get; init; } = new();

    /// <summary>Recipe.</summary>
    public RecipeSection Recipe { get; init; } = new();

    /// <summary>Total optimiser steps.</summary>
    public int MaxSteps { get; init; } = 200000;

    /// <summary>Checkpoints.</summary>
    public CheckpointSection Checkpoint { get; init; } = new();

    /// <summary>Logging.</summary>
    public LoggingSection Logging { get; init; } = new();

    /// <summary>Seed of every generator the run owns.</summary>
    public ulong Seed { get; init; } = 43;

    /// <summary>Compute dtype of the frozen base weights: fp32, bf16 or fp16 (LoRA weights stay fp32).</summary>
    public string Dtype { get; init; } = "bf16";

    /// <summary>Device: cpu, cuda or cuda:N.</summary>
    public string Device { get; init; } = "cuda";

    /// <summary>Reads and validates a config file. Relative paths stay as written (relative to the working folder).</summary>
    /// <exception cref="TrainingConfigException">The file is missing, not valid JSON, or has invalid values.</exception>
    public static TsdSrTrainingConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new TrainingConfigException(path, ["the file does not exist."]);
        }

        if (TsdSr.Core.Files.RegularFile.Problem(path) is { } problem)
        {
            throw new TrainingConfigException(path, [problem]);
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses and validates JSON text.</summary>
    /// <exception cref="TrainingConfigException">Not valid JSON, unknown keys, wrong types or invalid values.</exception>
    public static TsdSrTrainingConfig Parse(string json, string source = "config")
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new TrainingConfigException(source, [$"not valid JSON: {e.Message}"], e);
        }

        using (document)
        {
            // Every problem at once: unknown keys (each with the nearest valid key), then a wrong type, then bad values.
            var errors = new List<string>(UserConfigKeys.Unknown(document.RootElement, typeof(TsdSrTrainingConfig), JsonOptions));
            TsdSrTrainingConfig? config = null;
            try
            {
                // Laid over the serialised defaults, so a partial section keeps the config's defaults, which can differ
                // from the section record's own (the fake-score optimiser's lr, DASM off).
                if (document.RootElement.ValueKind == JsonValueKind.Object && JsonObject.Create(document.RootElement.Clone()) is { } overrides)
                {
                    var merged = (JsonObject)JsonSerializer.SerializeToNode(new TsdSrTrainingConfig(), JsonOptions)!;
                    UserConfigJson.MergeOver(merged, overrides);
                    config = merged.Deserialize<TsdSrTrainingConfig>(LenientJsonOptions);
                }
                else
                {
                    config = document.RootElement.Deserialize<TsdSrTrainingConfig>(LenientJsonOptions);
                }
            }
            catch (JsonException e)
            {
                var where = e.Path is null ? string.Empty : $"{e.Path.TrimStart('$', '.')}: ";
                errors.Add($"{where}{e.Message}");
            }

            if (config is null && errors.Count == 0)
            {
                errors.Add("the file holds 'null', expected an object.");
            }

            if (config is not null)
            {
                errors.AddRange(config.Validate());
            }

            return errors.Count == 0 ? config! : throw new TrainingConfigException(source, errors);
        }
    }

    /// <summary>The config as JSON (for logs and for writing a starting file).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Every problem, one line each starting with the key path; empty when valid. Paths are not checked for existence.</summary>
    public IReadOnlyList<string> Validate()
    {
        var e = new List<string>();
        Require(e, !string.IsNullOrWhiteSpace(OutputDir), "output_dir must not be empty.");
        Require(e, Enum.IsDefined(Stage), $"stage must be student, vae or teacher, got '{Stage}'.");
        object?[] sections = [Data, Models, Lora, StudentOptimizer, FakeScoreOptimizer, LrSchedule, Dasm, Loss, Reconstruction, PixelLoss, Vae, Teacher, Recipe, Checkpoint, Logging];
        Require(e, sections.All(s => s is not null), "no section may be null (leave a section out to use its defaults).");
        if (e.Count > 0)
        {
            return e;
        }

        ValidateData(e);
        Require(e, Data.BatchSize >= 1, $"data.batch_size must be at least 1, got {Data.BatchSize}.");
        Require(e, Data.CacheMegabytes >= 0, $"data.cache_megabytes must be 0 or more, got {Data.CacheMegabytes}.");
        switch (Stage)
        {
            case TrainingStageKind.Vae:
                ValidateVaeStage(e);
                break;
            case TrainingStageKind.Teacher:
                ValidateTeacherStage(e);
                break;
            default:
                ValidateStudentStage(e);
                break;
        }

        Catch(e, "lr_schedule", () => Schedule.Validate());
        Require(e, LrSchedule.WarmupSteps <= MaxSteps, $"lr_schedule.warmup_steps ({LrSchedule.WarmupSteps}) exceeds max_steps ({MaxSteps}).");
        Require(e, MaxSteps >= 1, $"max_steps must be at least 1, got {MaxSteps}.");
        Require(e, Checkpoint.Every >= 1, $"checkpoint.every must be at least 1, got {Checkpoint.Every}.");
        Require(e, Checkpoint.KeepLast >= 1, $"checkpoint.keep_last must be at least 1, got {Checkpoint.KeepLast}.");
        Require(e, !string.IsNullOrWhiteSpace(Checkpoint.Folder), "checkpoint.folder must not be empty.");
        Require(e, !string.IsNullOrWhiteSpace(Logging.MetricsCsv), "logging.metrics_csv must not be empty.");
        Require(e, !string.IsNullOrWhiteSpace(Logging.PlotPng), "logging.plot_png must not be empty.");
        Require(e, Logging.PlotEvery >= 1, $"logging.plot_every must be at least 1, got {Logging.PlotEvery}.");
        Catch(e, "dtype", () => DtypeNames.Parse(Dtype));
        Require(e, Device is "cpu" or "cuda" || (Device.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(Device.AsSpan(5), out int n) && n >= 0),
            $"device must be cpu, cuda or cuda:N, got '{Device}'.");
        return e;
    }

    private void ValidateStudentStage(List<string> e)
    {
        Require(e, !string.IsNullOrWhiteSpace(Models.BaseModel), "models.base_model must name the SD3 diffusers folder.");
        Require(e, !string.IsNullOrWhiteSpace(Models.DefaultPromptEmbeds), "models.default_prompt_embeds must name the default-prompt embeddings folder.");
        Require(e, !string.IsNullOrWhiteSpace(Models.NullPromptEmbeds), "models.null_prompt_embeds must name the null-prompt embeddings folder.");
        Require(e, Lora.StudentRank >= 1, $"lora.student_rank must be at least 1, got {Lora.StudentRank}.");
        Require(e, Lora.VaeRank >= 1, $"lora.vae_rank must be at least 1, got {Lora.VaeRank}.");
        Require(e, Lora.FakeScoreRank >= 1, $"lora.fake_score_rank must be at least 1, got {Lora.FakeScoreRank}.");
        Catch(e, "student_optimizer", () => StudentOptimizer.Validate("student_optimizer"));
        Catch(e, "fake_score_optimizer", () => FakeScoreOptimizer.Validate("fake_score_optimizer"));
        Catch(e, "dasm", () => Dasm.Validate());
        Catch(e, "loss", () => Loss.Validate());
        Require(e, double.IsFinite(Loss.Guidance.Scale) && Loss.Guidance.Scale >= 0, $"loss.guidance.scale must be a finite number >= 0, got {Loss.Guidance.Scale}.");
        foreach (var (name, value) in new[] { ("lpips_weight", Reconstruction.LpipsWeight), ("pixel_weight", Reconstruction.PixelWeight), ("latent_mse_weight", Reconstruction.LatentMseWeight) })
        {
            Require(e, double.IsFinite(value) && value >= 0, $"reconstruction.{name} must be a finite number >= 0, got {value}.");
        }

        if (Reconstruction.PixelWeight > 0)
        {
            Catch(e, "pixel_loss", () => PixelLoss.Validate());
        }

        Require(e, Enum.IsDefined(Reconstruction.LpipsNet), $"reconstruction.lpips_net must be alex or vgg16, got '{Reconstruction.LpipsNet}'.");
        Require(e, !Recipe.TwoStage || (Recipe.Stage1Steps >= 1 && Recipe.Stage1Steps < MaxSteps),
            $"recipe.stage1_steps must lie in [1, max_steps) with two_stage, got {Recipe.Stage1Steps}.");
    }

    private void ValidateVaeStage(List<string> e)
    {
        Require(e, Data.IsOnline, "stage vae trains on HR images: give data.hr_folders (pair folders are not used).");
        Require(e, !string.IsNullOrWhiteSpace(Vae.Config), "vae.config must name a preset (nano, tiny, sd3) or a config.json.");
        Catch(e, "vae.optimizer", () => Vae.Optimizer.Validate("vae.optimizer"));
        Require(e, double.IsFinite(Vae.KlWeight) && Vae.KlWeight >= 0, $"vae.kl_weight must be a finite number >= 0, got {Vae.KlWeight}.");
        Require(e, Vae.ScalingBatches >= 1, $"vae.scaling_batches must be at least 1, got {Vae.ScalingBatches}.");
        Catch(e, "pixel_loss", () => PixelLoss.Validate());
    }

    private void ValidateTeacherStage(List<string> e)
    {
        Require(e, Data.IsOnline, "stage teacher trains on HR images: give data.hr_folders (pair folders are not used).");
        Require(e, !string.IsNullOrWhiteSpace(Models.BaseModel), "models.base_model must name the folder whose vae/ the teacher is trained on (the VAE stage's output_dir).");
        Require(e, !string.IsNullOrWhiteSpace(Teacher.Config), "teacher.config must name a preset (nano, tiny, sd3-medium) or a config.json.");
        Catch(e, "teacher.optimizer", () => Teacher.Optimizer.Validate("teacher.optimizer"));
        Require(e, Teacher.PromptDropout is >= 0 and <= 1, $"teacher.prompt_dropout must lie in [0, 1], got {Teacher.PromptDropout}.");
        Require(e, Teacher.DegradedFraction is >= 0 and < 1, $"teacher.degraded_fraction must lie in [0, 1), got {Teacher.DegradedFraction}.");
        Require(e, double.IsFinite(Teacher.LogitMean), $"teacher.logit_mean must be finite, got {Teacher.LogitMean}.");
        Require(e, double.IsFinite(Teacher.LogitStd) && Teacher.LogitStd > 0, $"teacher.logit_std must be a finite number > 0, got {Teacher.LogitStd}.");
        Require(e, Teacher.PromptTokens is >= 1 and <= 4096, $"teacher.prompt_tokens must lie in [1, 4096], got {Teacher.PromptTokens}.");
        Require(e, string.IsNullOrWhiteSpace(Models.DefaultPromptEmbeds) == string.IsNullOrWhiteSpace(Models.NullPromptEmbeds),
            "models.default_prompt_embeds and models.null_prompt_embeds go together: give both, or neither (then both are generated from teacher.prompt_seed).");
    }

    /// <summary>The learning-rate schedule over <see cref="MaxSteps"/>.</summary>
    [JsonIgnore]
    public LrSchedule Schedule => new()
    {
        Kind = LrSchedule.Kind,
        WarmupSteps = LrSchedule.WarmupSteps,
        TotalSteps = MaxSteps,
        NumCycles = LrSchedule.NumCycles,
        ProcessMultiplier = LrSchedule.ProcessMultiplier,
    };

    /// <summary>
    /// The stage of step <paramref name="step"/> (0-based). One stage: DASM and the latent MSE as configured. Two stages
    /// (the paper): steps before <c>recipe.stage1_steps</c> use the latent MSE without DASM, later steps DASM (with the
    /// configured sub-steps) without the latent MSE.
    /// </summary>
    public TrainingStage StageAt(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (!Recipe.TwoStage)
        {
            return new TrainingStage(1, Dasm, Reconstruction.LatentMseWeight);
        }

        return step < Recipe.Stage1Steps
            ? new TrainingStage(1, Dasm with { Enabled = false }, Reconstruction.LatentMseWeight)
            : new TrainingStage(2, Dasm with { Enabled = true }, 0.0);
    }

    private void ValidateData(List<string> e)
    {
        Require(e, Data.PairFolders is not null && Data.HrFolders is not null, "data.pair_folders and data.hr_folders must be lists (leave a key out for none).");
        if (Data.PairFolders is null || Data.HrFolders is null)
        {
            return;
        }

        bool pairs = Data.PairFolders.Count > 0, online = Data.HrFolders.Count > 0;
        Require(e, pairs || online, "data.pair_folders (offline pairs) or data.hr_folders (online degradation) must list at least one folder.");
        Require(e, !(pairs && online), "data.pair_folders and data.hr_folders are alternatives: give one of them, not both.");
        Require(e, Data.PairFolders.All(p => !string.IsNullOrWhiteSpace(p)), "data.pair_folders must not contain empty paths.");
        Require(e, Data.HrFolders.All(p => !string.IsNullOrWhiteSpace(p)), "data.hr_folders must not contain empty paths.");
        Require(e, Data.Scale is 2 or 4, $"data.scale must be 2 or 4, got {Data.Scale}.");
        Require(e, Data.CropSize >= 16 && Data.CropSize % 16 == 0,
            $"data.crop_size must be a positive multiple of 16 (VAE factor times transformer patch: 8 × 2 for SD3, 4 × 4 for nano), got {Data.CropSize}.");
        Require(e, Data.Degradation is null || !string.IsNullOrWhiteSpace(Data.Degradation),
            "data.degradation must be a preset name, a degradation JSON file, or null for the default.");
        Require(e, Data.Degradation is null || online, "data.degradation applies to data.hr_folders only (pair folders are degraded already).");
    }

    private static void Require(List<string> errors, bool ok, string message)
    {
        if (!ok)
        {
            errors.Add(message);
        }
    }

    private static void Catch(List<string> errors, string where, Action check)
    {
        try
        {
            check();
        }
        catch (ArgumentException ex)
        {
            errors.Add($"{where}: {ex.Message}");
        }
    }
}
