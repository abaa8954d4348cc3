using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TsdSr.Core.Devices;
using TsdSr.Core.Embeddings;
using TsdSr.Core.Layout;
using TsdSr.Core.SafeTensors;
using TsdSr.Losses.Reconstruction;
using TsdSr.Models.Autoencoders;
using TsdSr.Models.Transformers;
using TsdSr.Schedulers;
using TsdSr.Training.Checkpoints;
using TsdSr.Training.Config;
using TsdSr.Training.Data;
using TsdSr.Training.Metrics;
using TsdSr.Training.Optimization;
using TsdSr.Training.Pretraining;
using TsdSr.Training.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace TsdSr.Training.Runs;

/// <summary>
/// A full-parameter training run of the model family's base: the VAE stage (<c>stage: "vae"</c>) or the teacher stage
/// (<c>stage: "teacher"</c>). Same contract as <see cref="TrainingRun"/>: every step is appended to the metrics CSV,
/// atomic checkpoints (model, optimiser moments, schedule, generator, data position) are written every
/// <c>checkpoint.every</c> steps and on cancellation, the loss plot is redrawn, a resumed run repeats an uninterrupted
/// one, and the finished run exports a diffusers folder: <c>vae/</c> (with the measured <c>scaling_factor</c> and
/// <c>shift_factor</c>), or <c>transformer/</c> + <c>vae/</c> + <c>scheduler/</c> + <c>embeddings/</c> — the
/// <c>models.base_model</c> of the student stage. Both stages train in fp32.
/// </summary>
public sealed class PretrainingRun : IDisposable
{
    /// <summary>Folder of the generated (or copied) prompt embeddings inside a teacher export.</summary>
    public const string EmbeddingsFolderName = "embeddings";

    private readonly ILogger logger;
    private readonly CheckpointManager checkpoints;
    private readonly IDisposable[] owned;
    private bool disposed;

    private PretrainingRun(TsdSrTrainingConfig config, TrainingRunPaths paths, IPretrainingStep step, ITrainingBatchSource loader,
        Func<string, CancellationToken, string> export, IDisposable[] owned, ILogger logger)
    {
        Config = config;
        Paths = paths;
        Step = step;
        Loader = loader;
        Export = export;
        this.owned = owned;
        this.logger = logger;
        checkpoints = new CheckpointManager(paths.Checkpoints, config.Checkpoint.KeepLast, m => logger.LogWarning("{Message}", m));
    }

    /// <summary>The configuration.</summary>
    public TsdSrTrainingConfig Config { get; }

    /// <summary>Where the run writes.</summary>
    public TrainingRunPaths Paths { get; }

    /// <summary>The step (models, optimiser, generator).</summary>
    public IPretrainingStep Step { get; }

    /// <summary>The batch source (its position is part of every checkpoint).</summary>
    public ITrainingBatchSource Loader { get; }

    /// <summary>The global step the next <see cref="RunAsync"/> starts at.</summary>
    public long StartStep { get; private set; }

    /// <summary>The checkpoint the run resumed from, or null for a fresh start.</summary>
    public CheckpointInfo? ResumedFrom { get; private set; }

    /// <summary>Draws the loss plot (<c>logging.plot_png</c>); set it before <see cref="RunAsync"/>. Default: <see cref="PanelLossPlotter"/>.</summary>
    public ILossPlotter Plotter { get; set; } = PanelLossPlotter.Instance;

    /// <summary>The folder a finished run exports to (<c>output_dir</c>).</summary>
    public string ExportFolder => Paths.OutputDir;

    private Func<string, CancellationToken, string> Export { get; }

    /// <summary>Checks the inputs, builds the models and the step, and resumes from the newest valid checkpoint.</summary>
    /// <exception cref="TrainingConfigException">The configuration is invalid or is not a VAE or teacher stage.</exception>
    /// <exception cref="TrainingRunFilesException">Inputs are missing (each named with its expected location).</exception>
    /// <exception cref="CheckpointException">A valid checkpoint does not fit this configuration.</exception>
    public static PretrainingRun Open(TsdSrTrainingConfig config, ILogger<PretrainingRun>? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        var errors = config.Validate();
        if (errors.Count > 0)
        {
            throw new TrainingConfigException("config", errors);
        }

        if (config.Stage == TrainingStageKind.Student)
        {
            throw new TrainingConfigException("config", ["stage student is trained by TrainingRun, not PretrainingRun."]);
        }

        TrainingRunFiles.RequireAll(config);
        ILogger log = logger ?? (ILogger)NullLogger.Instance;
        var paths = TrainingRunPaths.From(config);
        var device = DeviceSelector.Resolve(config.Device);
        var loader = TrainingRun.OpenData(config, log, degrade: config.Stage == TrainingStageKind.Teacher && config.Teacher.DegradedFraction > 0);
        var owned = new List<IDisposable>();
        if (loader is IDisposable disposableLoader)
        {
            owned.Add(disposableLoader);
        }

        try
        {
            // Fresh weights draw from the global generator: seed it so that fresh runs repeat.
            manual_seed(unchecked((long)config.Seed));
            var run = config.Stage == TrainingStageKind.Vae
                ? OpenVae(config, paths, device, loader, owned, log)
                : OpenTeacher(config, paths, device, loader, owned, log, cancellationToken);
            if (config.Checkpoint.Resume)
            {
                run.TryResume();
            }
            else if (run.checkpoints.List().Count > 0)
            {
                log.LogWarning("checkpoint.resume is false: starting at step 0 although {Folder} holds checkpoints", paths.Checkpoints);
            }

            return run;
        }
        catch
        {
            foreach (var d in Enumerable.Reverse(owned))
            {
                d.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// Trains from <see cref="StartStep"/> to <c>max_steps</c>, then exports. Cancellation is honoured between steps: the
    /// last completed step is checkpointed and the call returns with <see cref="PretrainingResult.Cancelled"/> set.
    /// </summary>
    /// <exception cref="CheckpointException">A checkpoint could not be written.</exception>
    public async Task<PretrainingResult> RunAsync(IProgress<PretrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var clock = Stopwatch.StartNew();
        long start = StartStep, max = Config.MaxSteps;
        Directory.CreateDirectory(Paths.OutputDir);
        var content = Step.Content;
        CheckpointInfo? last = ResumedFrom;
        long completed = start, savedAt = ResumedFrom?.GlobalStep ?? -1;
        bool cancelled = false;
        using (var metrics = CsvMetricsLogger.Open(Paths.MetricsCsv, Step.Columns, resumeStep: start - 1))
        {
            void Save()
            {
                content.GlobalStep = completed;
                content.Extra[TrainingRunCallback.DataPositionKey] = Loader.State;
                last = checkpoints.Save(content);
                savedAt = completed;
                logger.LogInformation("Checkpoint of step {Step} written to {Folder}", completed, last.Path);
            }

            void Plot()
            {
                try
                {
                    Plotter.Save(LossPlotData.FromCsv(metrics.Path, LossPlotTitle.For(Config), Step.LossColumns), Paths.PlotPng);
                }
                catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
                {
                    logger.LogWarning("Could not write the loss plot '{Plot}': {Message}", Paths.PlotPng, e.Message);
                }
            }

            logger.LogInformation("Training steps {Start} to {Max}", start, max);
            await Task.Run(() =>
            {
                for (long s = start; s < max; s++)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        cancelled = true;
                        break;
                    }

                    IReadOnlyDictionary<string, double> values;
                    using (var batch = Loader.Next())
                    {
                        values = Step.Run(batch, s);
                    }

                    metrics.Log(s, values);
                    completed = s + 1;
                    if (completed % Config.Checkpoint.Every == 0)
                    {
                        Save();
                    }

                    if (completed % Config.Logging.PlotEvery == 0)
                    {
                        Plot();
                    }

                    progress?.Report(new PretrainingProgress(s, completed - start, max, values, clock.Elapsed));
                }
            }, CancellationToken.None).ConfigureAwait(false);

            if (completed > 0 && savedAt != completed)
            {
                Save();
            }

            if (completed > 0)
            {
                Plot();
            }
        }

        StartStep = completed;
        string? exported = null;
        if (cancelled)
        {
            logger.LogWarning("Cancelled after step {Step}; resume continues from {Checkpoint}", completed, last?.Path);
        }
        else
        {
            exported = Export(Paths.OutputDir, cancellationToken);
            logger.LogInformation("Exported to {Folder}", exported);
        }

        return new PretrainingResult(start, completed, completed - start, cancelled, last, exported, clock.Elapsed);
    }

    /// <summary>Disposes the step, the models and the batch source.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        Step.Dispose();
        foreach (var d in Enumerable.Reverse(owned))
        {
            d.Dispose();
        }
    }

    /// <summary>Writes <paramref name="model"/>'s config and weights as a diffusers component folder (atomic file writes).</summary>
    public static void WriteComponent(string folder, string configJson, nn.Module model)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(configJson);
        ArgumentNullException.ThrowIfNull(model);
        Directory.CreateDirectory(folder);
        DurableFiles.WriteAllText(Path.Combine(folder, DiffusersLayout.ConfigFileName), configJson);
        SafetensorsWriter.Save(Path.Combine(folder, AutoencoderKL.WeightsFileName), model.state_dict());
    }

    private static PretrainingRun OpenVae(TsdSrTrainingConfig config, TrainingRunPaths paths, Device device, ITrainingBatchSource loader,
        List<IDisposable> owned, ILogger log)
    {
        var architecture = ModelPresets.Vae(config.Vae.Config);
        var vae = config.Vae.Init is { } init
            ? AutoencoderKL.FromPretrained(DiffusersLayout.Resolve(init, "vae").Directory)
            : new AutoencoderKL(architecture);
        owned.Add(vae);
        vae.to(device);
        vae.train();
        var optimizer = new TrainingOptimizer("vae", vae.parameters(), config.Vae.Optimizer, config.Schedule);
        var step = new VaeTrainingStep(vae, new PixelReconstructionLoss(config.PixelLoss), config.Vae.KlWeight, optimizer, new SeededGenerator(config.Seed));
        log.LogInformation("VAE stage: {Parameters:N0} parameters ({Source}), 4×{Factor} down-sampling, {Latent} latent channels, on {Device}",
            vae.parameters().Sum(p => p.numel()), config.Vae.Init ?? config.Vae.Config, vae.Config.DownsampleFactor, vae.Config.LatentChannels, device);

        string Export(string output, CancellationToken ct)
        {
            var stats = new LatentStatistics();
            vae.eval();
            using (no_grad())
            {
                for (int i = 0; i < config.Vae.ScalingBatches; i++)
                {
                    ct.ThrowIfCancellationRequested();
                    using var batch = loader.Next();
                    using var scope = NewDisposeScope();
                    using var posterior = vae.Encode(batch.Gt.to(ScalarType.Float32, device).mul(2).sub(1));
                    stats.Add(posterior.Mean);
                }
            }

            var measured = vae.Config with { ScalingFactor = 1.0 / stats.StandardDeviation, ShiftFactor = stats.Mean };
            var folder = Path.Combine(output, "vae");
            WriteComponent(folder, measured.ToJson(), vae);
            log.LogInformation("Latent statistics over {Count:N0} values: mean {Mean:0.0000}, std {Std:0.0000} → scaling_factor {Scale:0.0000}, shift_factor {Shift:0.0000}",
                stats.Count, stats.Mean, stats.StandardDeviation, measured.ScalingFactor, measured.ShiftFactor);
            return folder;
        }

        return new PretrainingRun(config, paths, step, loader, Export, [.. owned], log);
    }

    private static PretrainingRun OpenTeacher(TsdSrTrainingConfig config, TrainingRunPaths paths, Device device, ITrainingBatchSource loader,
        List<IDisposable> owned, ILogger log, CancellationToken ct)
    {
        var vaePaths = DiffusersLayout.Resolve(config.Models.BaseModel, "vae");
        var vae = AutoencoderKL.FromPretrained(vaePaths.Directory, device: device);
        owned.Add(vae);
        var architecture = ModelPresets.Transformer(config.Teacher.Config);
        var transformer = config.Teacher.Init is { } init
            ? SD3Transformer2DModel.FromPretrained(DiffusersLayout.Resolve(init, "transformer").Directory, cancellationToken: ct)
            : new SD3Transformer2DModel(architecture);
        owned.Add(transformer);
        if (transformer.Config.InChannels != vae.Config.LatentChannels)
        {
            throw new TrainingConfigException("config", [$"teacher.config: the transformer takes {transformer.Config.InChannels} latent channels, the VAE in models.base_model makes {vae.Config.LatentChannels}."]);
        }

        transformer.to(device);
        var schedulerConfig = SchedulerConfig(config.Models.BaseModel);
        var scheduler = new FlowMatchEulerDiscreteScheduler(schedulerConfig);
        var (defaultPrompt, nullPrompt) = Prompts(config, transformer.Config);
        owned.Add(defaultPrompt);
        owned.Add(nullPrompt);
        var optimizer = new TrainingOptimizer("teacher", transformer.parameters(), config.Teacher.Optimizer, config.Schedule);
        var options = new TeacherStepOptions
        {
            PromptDropout = config.Teacher.PromptDropout,
            DegradedFraction = config.Teacher.DegradedFraction,
            LogitMean = config.Teacher.LogitMean,
            LogitStd = config.Teacher.LogitStd,
        };
        var step = new TeacherTrainingStep(transformer, vae, scheduler, defaultPrompt, nullPrompt, options, optimizer, new SeededGenerator(config.Seed));
        log.LogInformation("Teacher stage: {Parameters:N0} parameters ({Source}) on the latents of {Vae} (scaling {Scale}), on {Device}",
            transformer.parameters().Sum(p => p.numel()), config.Teacher.Init ?? config.Teacher.Config, vaePaths.Directory,
            vae.ScalingFactor.ToString(CultureInfo.InvariantCulture), device);

        string Export(string output, CancellationToken token)
        {
            token.ThrowIfCancellationRequested();
            WriteComponent(Path.Combine(output, "transformer"), transformer.Config.ToJson(), transformer);
            var vaeOut = Path.Combine(output, "vae");
            if (!string.Equals(Path.GetFullPath(vaeOut), Path.GetFullPath(vaePaths.Directory), StringComparison.Ordinal))
            {
                Directory.CreateDirectory(vaeOut);
                File.Copy(vaePaths.ConfigPath, Path.Combine(vaeOut, DiffusersLayout.ConfigFileName), overwrite: true);
                File.Copy(Path.Combine(vaePaths.Directory, AutoencoderKL.WeightsFileName), Path.Combine(vaeOut, AutoencoderKL.WeightsFileName), overwrite: true);
            }

            var schedulerFolder = Path.Combine(output, "scheduler");
            Directory.CreateDirectory(schedulerFolder);
            DurableFiles.WriteAllText(Path.Combine(schedulerFolder, DiffusersLayout.SchedulerConfigFileName), schedulerConfig.ToJson());
            SavePrompt(defaultPrompt, Path.Combine(output, EmbeddingsFolderName, "default"));
            SavePrompt(nullPrompt, Path.Combine(output, EmbeddingsFolderName, "null"));
            return output;
        }

        return new PretrainingRun(config, paths, step, loader, Export, [.. owned], log);
    }

    private static (PromptEmbeddings Default, PromptEmbeddings Null) Prompts(TsdSrTrainingConfig config, SD3TransformerConfig transformer)
    {
        if (!string.IsNullOrWhiteSpace(config.Models.DefaultPromptEmbeds))
        {
            var d = PromptEmbeddingsLoader.Load(config.Models.DefaultPromptEmbeds);
            try
            {
                return (d, PromptEmbeddingsLoader.Load(config.Models.NullPromptEmbeds));
            }
            catch
            {
                d.Dispose();
                throw;
            }
        }

        var t = config.Teacher;
        return (
            GeneratedPromptEmbeddings.Create(t.PromptSeed, GeneratedPromptEmbeddings.DefaultStream, t.PromptTokens, transformer.JointAttentionDim, transformer.PooledProjectionDim, "generated default prompt"),
            GeneratedPromptEmbeddings.Create(t.PromptSeed, GeneratedPromptEmbeddings.NullStream, t.PromptTokens, transformer.JointAttentionDim, transformer.PooledProjectionDim, "generated null prompt"));
    }

    private static void SavePrompt(PromptEmbeddings prompt, string folder)
    {
        Directory.CreateDirectory(folder);
        SafetensorsWriter.Save(Path.Combine(folder, PromptEmbeddingsLoader.SafetensorsFileName), new Dictionary<string, Tensor>
        {
            [PromptEmbeddings.PromptEmbedsKey] = prompt.PromptEmbeds,
            [PromptEmbeddings.PooledPromptEmbedsKey] = prompt.PooledPromptEmbeds,
        });
    }

    private static FlowMatchEulerDiscreteSchedulerConfig SchedulerConfig(string baseModel)
    {
        try
        {
            return FlowMatchEulerDiscreteSchedulerConfig.FromFile(DiffusersLayout.Resolve(baseModel, "scheduler").ConfigPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // SD3's schedule (shift 3): the student stage's teacher indices then mean what they mean for SD3.
            return FlowMatchEulerDiscreteSchedulerConfig.Sd3;
        }
    }

    private void TryResume()
    {
        var info = checkpoints.TryResume(Step.Content);
        if (info is null)
        {
            logger.LogInformation("No checkpoint in {Folder}: starting at step 0", Paths.Checkpoints);
            return;
        }

        if (!Step.Content.Extra.TryGetValue(TrainingRunCallback.DataPositionKey, out var position))
        {
            throw new CheckpointException(info.Path, $"it has no '{TrainingRunCallback.DataPositionKey}' value (not written by a training run).");
        }

        try
        {
            Loader.State = position;
        }
        catch (ArgumentException e)
        {
            throw new CheckpointException(info.Path, $"its data position does not fit the configured HR folders: {e.Message}", e);
        }

        ResumedFrom = info;
        StartStep = info.GlobalStep;
        logger.LogInformation("Resumed from {Checkpoint} at step {Step}", info.Path, info.GlobalStep);
    }
}
