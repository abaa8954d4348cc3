using System.Text.Json.Serialization;
using TsdSr.Training.Schedules;

namespace TsdSr.Training.Config;

/// <summary>
/// <c>data</c>: where the training pairs come from. Exactly one of two sources: offline pair folders (the official TSD-SR
/// training data layout) or HR image folders degraded online (crop, flip, Real-ESRGAN degradation).
/// </summary>
public sealed record DataSection
{
    /// <summary>The default of <see cref="Degradation"/>: the preset of SeeSR's <c>make_paired_data</c>, which made TSD-SR's training pairs.</summary>
    public const string DefaultDegradation = "seesr";

    /// <summary>Offline pair folders (<c>gt/</c>, <c>lr_bicubic/</c>, optional <c>latent_hr/</c>, <c>prompt_embeds/</c>, <c>pool_embeds/</c>).</summary>
    public IReadOnlyList<string> PairFolders { get; init; } = [];

    /// <summary>HR image folders (PNG/JPEG/WebP, recursive) degraded online; the alternative to <see cref="PairFolders"/>.</summary>
    public IReadOnlyList<string> HrFolders { get; init; } = [];

    /// <summary>Square HR crop size in pixels with <see cref="HrFolders"/> (the reference trains on 512 crops); a multiple of 16.</summary>
    public int CropSize { get; init; } = 512;

    /// <summary>Down-scaling factor of the online degradation (4 or 2); replaces the degradation config's own scale.</summary>
    public int Scale { get; init; } = 4;

    /// <summary>
    /// The online degradation: null for <see cref="DefaultDegradation"/>, a preset name (<c>osediff</c>, <c>seesr</c>,
    /// <c>realesrgan</c>, <c>stablesr</c>) or the path of a degradation JSON file (TsdSr.Data.Degradation.DegradationConfigFile).
    /// </summary>
    public string? Degradation { get; init; }

    /// <summary>True when the batches come from <see cref="HrFolders"/> (online degradation).</summary>
    [JsonIgnore]
    public bool IsOnline => HrFolders.Count > 0;

    /// <summary>Samples per step (the reference: 2 per GPU).</summary>
    public int BatchSize { get; init; } = 2;

    /// <summary>Shuffle each epoch.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Megabytes of decoded HR images kept in memory with <see cref="HrFolders"/> (each image is then decoded once). Default 0.</summary>
    public int CacheMegabytes { get; init; }
}

/// <summary><c>models</c>: base model and prompt embeddings.</summary>
public sealed record ModelsSection
{
    /// <summary>diffusers SD3 folder with <c>transformer/</c> and <c>vae/</c>.</summary>
    public string BaseModel { get; init; } = string.Empty;

    /// <summary>Teacher LoRA file (<c>teacher.safetensors</c>, TSD-SR format); null: the teacher is the plain base.</summary>
    public string? TeacherLora { get; init; }

    /// <summary>Folder with a student to start from (<c>transformer.safetensors</c>, <c>vae.safetensors</c>); null: fresh LoRA.</summary>
    public string? StudentInit { get; init; }

    /// <summary>Default-prompt embeddings folder (student prompt; <c>prompt_embeds</c> / <c>pool_embeds</c>).</summary>
    public string DefaultPromptEmbeds { get; init; } = string.Empty;

    /// <summary>Null-prompt embeddings folder (CFG unconditional branch).</summary>
    public string NullPromptEmbeds { get; init; } = string.Empty;

    /// <summary>torchvision-format AlexNet/VGG backbone for LPIPS (user-supplied).</summary>
    public string? LpipsBackbone { get; init; }

    /// <summary>LPIPS linear heads (v0.1) file.</summary>
    public string? LpipsHeads { get; init; }
}

/// <summary><c>lora</c>: adapter ranks (α = rank, as the reference).</summary>
public sealed record LoraSection
{
    /// <summary>Student transformer LoRA rank (<c>--rank</c>).</summary>
    public int StudentRank { get; init; } = 64;

    /// <summary>Student VAE-encoder LoRA rank (<c>--rank_vae</c>).</summary>
    public int VaeRank { get; init; } = 64;

    /// <summary>Fake-score LoRA rank (<c>--rank_lora</c>; the released script uses 64).</summary>
    public int FakeScoreRank { get; init; } = 64;
}

/// <summary><c>lr_schedule</c>: the schedule shared by both optimisers.</summary>
public sealed record LrScheduleSection
{
    /// <summary>constant, constant_with_warmup, linear or cosine_with_restarts.</summary>
    public LrScheduleKind Kind { get; init; } = LrScheduleKind.CosineWithRestarts;

    /// <summary>Warm-up steps.</summary>
    public int WarmupSteps { get; init; } = 3000;

    /// <summary>Hard restarts of the cosine.</summary>
    public int NumCycles { get; init; } = 1;

    /// <summary>The reference's <c>num_processes</c> factor on warm-up and total steps (1 = off).</summary>
    public int ProcessMultiplier { get; init; } = 1;
}

/// <summary><c>recipe</c>: one stage (the reference) or the paper's two stages.</summary>
public sealed record RecipeSection
{
    /// <summary>Two stages: latent MSE without DASM first, then DASM without the latent MSE.</summary>
    public bool TwoStage { get; init; }

    /// <summary>Steps of the first stage when <see cref="TwoStage"/> is set.</summary>
    public int Stage1Steps { get; init; } = 10000;
}

/// <summary><c>checkpoint</c>: saving, resuming and exporting.</summary>
public sealed record CheckpointSection
{
    /// <summary>Checkpoint folder (relative paths are relative to <c>output_dir</c>).</summary>
    public string Folder { get; init; } = "checkpoints";

    /// <summary>Save every this many steps.</summary>
    public int Every { get; init; } = 5000;

    /// <summary>How many checkpoints to keep.</summary>
    public int KeepLast { get; init; } = 3;

    /// <summary>Resume from the newest valid checkpoint when there is one.</summary>
    public bool Resume { get; init; } = true;
}

/// <summary><c>logging</c>: metrics CSV and plot.</summary>
public sealed record LoggingSection
{
    /// <summary>Metrics CSV (relative to <c>output_dir</c>).</summary>
    public string MetricsCsv { get; init; } = "metrics.csv";

    /// <summary>Loss-curve PNG (relative to <c>output_dir</c>).</summary>
    public string PlotPng { get; init; } = "loss.png";

    /// <summary>Redraw the plot every this many steps.</summary>
    public int PlotEvery { get; init; } = 100;
}
