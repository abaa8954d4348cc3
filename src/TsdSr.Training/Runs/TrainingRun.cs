using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using TsdSr.Core.Devices;
using TsdSr.Core.Files;
using TsdSr.Core.Embeddings;
using TsdSr.Core.Layout;
using TsdSr.Data.Datasets;
using TsdSr.Data.Degradation;
using TsdSr.Evaluation.Lpips;
using TsdSr.Losses.Reconstruction;
using TsdSr.Models.Autoencoders;
using TsdSr.Models.Transformers;
using TsdSr.Schedulers;
using TsdSr.Training.Adapters;
using TsdSr.Training.Checkpoints;
using TsdSr.Training.Config;
using TsdSr.Training.Data;
using TsdSr.Training.Loop;
using TsdSr.Training.Metrics;
using TsdSr.Training.Optimization;
using TsdSr.Training.Perceptual;
using TsdSr.Training.Precision;
using TsdSr.Training.Randomness;
using static TorchSharp.torch;

namespace TsdSr.Training.Runs;

/// <summary>
/// A complete training run assembled from a <see cref="TsdSrTrainingConfig"/>: the SD3 base and VAE with the student,
/// teacher and fake-score adapters (<see cref="SharedBaseAdapters"/>), the prompts, the perceptual loss, the two
/// optimisers with the configured schedule, the <see cref="TrainingStep"/>, the batches (offline pair folders, or HR
/// folders degraded online), and a callback
/// that logs metrics, writes checkpoints and redraws the loss plot. <see cref="Open"/> resumes from the newest valid
/// checkpoint (adapters, optimiser moments, schedules, step, random generator and data position), so a resumed run
/// computes the same steps as an uninterrupted one; <see cref="RunAsync"/> trains to <c>max_steps</c> and exports the
/// student in the upscaler's format.
/// </summary>
public sealed class TrainingRun : IDisposable
{
    /// <summary>Name of the step generator in checkpoints.</summary>
    public const string GeneratorName = "step";

    private readonly ILogger logger;
    private readonly IPerceptualLoss? perceptual;
    private readonly CheckpointManager checkpoints;
    private readonly CheckpointContent content;
    private readonly OutputFolderLock folderLock;
    private bool disposed;

    private TrainingRun(TsdSrTrainingConfig config, TrainingRunPaths paths, SharedBaseAdapters models, ITrainingBatchSource loader,
        SeededGenerator generator, TrainingStep step, IPerceptualLoss? perceptual, ILogger logger, OutputFolderLock folderLock)
    {
        this.folderLock = folderLock;
        Config = config;
        Paths = paths;
        Models = models;
        Loader = loader;
        Generator = generator;
        Step = step;
        this.perceptual = perceptual;
        this.logger = logger;
        checkpoints = new CheckpointManager(paths.Checkpoints, config.Checkpoint.KeepLast, m => logger.LogWarning("{Message}", m));
        content = new CheckpointContent
        {
            Adapters = models.CheckpointSlots(),
            Optimizers = [step.StudentOptimizer, step.FakeScoreOptimizer],
            Generators = new Dictionary<string, SeededGenerator>(StringComparer.Ordinal) { [GeneratorName] = generator },
        };
    }

    /// <summary>The configuration.</summary>
    public TsdSrTrainingConfig Config { get; }

    /// <summary>Where the run writes.</summary>
    public TrainingRunPaths Paths { get; }

    /// <summary>The shared base with the three adapters.</summary>
    public SharedBaseAdapters Models { get; }

    /// <summary>The batch source: a <see cref="PairBatchLoader"/> or a <see cref="DegradedBatchSource"/> (its position is part of every checkpoint).</summary>
    public ITrainingBatchSource Loader { get; }

    /// <summary>The seeded generator of every random draw of a step.</summary>
    public SeededGenerator Generator { get; }

    /// <summary>The training step (with both optimisers).</summary>
    public TrainingStep Step { get; }

    /// <summary>The global step the next <see cref="RunAsync"/> starts at (0, or the resumed checkpoint's step).</summary>
    public long StartStep { get; private set; }

    /// <summary>The checkpoint the run resumed from, or null for a fresh start.</summary>
    public CheckpointInfo? ResumedFrom { get; private set; }

    /// <summary>Draws the loss plot (<c>logging.plot_png</c>); set it before <see cref="RunAsync"/>. Default: <see cref="PanelLossPlotter"/>.</summary>
    public ILossPlotter Plotter { get; set; } = PanelLossPlotter.Instance;

    /// <summary>
    /// Checks every input, loads the models and builds the run; resumes from the newest valid checkpoint when
    /// <c>checkpoint.resume</c> is set. Relative paths are resolved against the working folder.
    /// </summary>
    /// <param name="config">The configuration (validated again here).</param>
    /// <param name="logger">Receives loading, checkpoint and resume messages; null discards them.</param>
    /// <param name="cancellationToken">Checked while loading.</param>
    /// <exception cref="TrainingConfigException">The configuration has invalid values.</exception>
    /// <exception cref="TrainingRunFilesException">Inputs are missing (each is named with its expected location).</exception>
    /// <exception cref="TsdSr.Data.PairFolders.PairFolderException">A pair folder is inconsistent.</exception>
    /// <exception cref="TrainingConfigException">The <c>data.degradation</c> file is not a valid degradation config.</exception>
    /// <exception cref="CheckpointException">A valid checkpoint does not fit this configuration (other ranks or models).</exception>
    /// <exception cref="MemoryEstimateException">The base models and adapters the configs describe would not fit in memory (checked before loading).</exception>
    /// <exception cref="OutputFolderLockedException">Another run writes to the same output_dir (the folder stays claimed until <see cref="Dispose"/>).</exception>
    public static TrainingRun Open(TsdSrTrainingConfig config, ILogger<TrainingRun>? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        var errors = config.Validate();
        if (errors.Count > 0)
        {
            throw new TrainingConfigException("config", errors);
        }

        TrainingRunFiles.RequireAll(config);
        ILogger log = logger ?? (ILogger)NullLogger.Instance;
        var paths = TrainingRunPaths.From(config);
        // Checked before anything loads: a read-only output would otherwise be found at the first checkpoint.
        if (Writability.FolderProblem(paths.OutputDir) is { } unwritable)
        {
            throw new TrainingConfigException("output_dir", [$"output_dir: {unwritable}"]);
        }

        var device = DeviceSelector.Resolve(config.Device);
        var dtype = DtypeNames.Parse(config.Dtype);
        var warnings = new List<string>();
        var transformerConfig = SD3TransformerConfig.FromFile(DiffusersLayout.Resolve(config.Models.BaseModel, "transformer").ConfigPath, warnings);
        var vaeConfig = AutoencoderKLConfig.FromFile(DiffusersLayout.Resolve(config.Models.BaseModel, "vae").ConfigPath, warnings);
        warnings.ForEach(w => log.LogWarning("{Warning}", w));
        vaeConfig.Validate();
        TrainingMemoryEstimate.EnsureFits(transformerConfig, vaeConfig, config.Lora, config.Models.BaseModel);
        var promptLimits = new PromptEmbeddingsLimits { HiddenSize = transformerConfig.JointAttentionDim, PooledSize = transformerConfig.PooledProjectionDim };
        var folderLock = OutputFolderLock.Acquire(paths.OutputDir, "tsdsr train");
        ITrainingBatchSource loader;
        try
        {
            loader = OpenData(config, log);
        }
        catch
        {
            folderLock.Dispose();
            throw;
        }

        var clock = Stopwatch.StartNew();
        SD3Transformer2DModel? transformer = null;
        AutoencoderKL? vae = null;
        IPerceptualLoss? perceptual = null;
        SeededGenerator? generator = null;
        TrainingOptimizer? studentOptimizer = null;
        TrainingOptimizer? fakeOptimizer = null;
        TrainingStep? step = null;
        try
        {
            var transformerDir = DiffusersLayout.Resolve(config.Models.BaseModel, "transformer").Directory;
            var vaeDir = DiffusersLayout.Resolve(config.Models.BaseModel, "vae").Directory;
            transformer = SD3Transformer2DModel.FromPretrained(transformerDir, device: device, cancellationToken: cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            vae = AutoencoderKL.FromPretrained(vaeDir, device: device);
            cancellationToken.ThrowIfCancellationRequested();

            // New adapters draw their initial A from the global generator: seed it so that fresh runs repeat.
            manual_seed(unchecked((long)config.Seed));
            var ranks = new AdapterRanks(config.Lora.StudentRank, config.Lora.VaeRank, config.Lora.FakeScoreRank);
            var models = SharedBaseAdapters.Attach(transformer, vae, ranks, dtype, config.Models.TeacherLora, config.Models.StudentInit);
            log.LogInformation("Models loaded from {Folder} on {Device} ({Dtype} base, fp32 LoRA) in {Elapsed}", config.Models.BaseModel, device, config.Dtype, clock.Elapsed);

            perceptual = CreatePerceptual(config, device);
            generator = new SeededGenerator(config.Seed);
            // Optimisers after the dtype cast (casts replace parameters) and outside any dispose scope.
            studentOptimizer = new TrainingOptimizer("student", models.StudentParameters(), config.StudentOptimizer, config.Schedule);
            fakeOptimizer = new TrainingOptimizer("fake_score", models.FakeScoreParameters(), config.FakeScoreOptimizer, config.Schedule);
            using (var studentPrompt = PromptEmbeddingsLoader.Load(config.Models.DefaultPromptEmbeds, promptLimits))
            using (var nullPrompt = PromptEmbeddingsLoader.Load(config.Models.NullPromptEmbeds, promptLimits))
            {
                // TrainingStep keeps its own device copies of both prompts.
                step = new TrainingStep(models, CreateScheduler(config.Models.BaseModel), studentPrompt, nullPrompt,
                    perceptual, generator, StepOptions(config), studentOptimizer, fakeOptimizer);
            }

            var run = new TrainingRun(config, paths, models, loader, generator, step, perceptual, log, folderLock);
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
            folderLock.Dispose();
            (loader as IDisposable)?.Dispose();
            step?.Dispose();
            studentOptimizer?.Dispose();
            fakeOptimizer?.Dispose();
            generator?.Dispose();
            (perceptual as IDisposable)?.Dispose();
            transformer?.Dispose();
            vae?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Trains from <see cref="StartStep"/> to <c>max_steps</c>, logging every step to the metrics CSV (rows after the
    /// resumed step are replaced), checkpointing every <c>checkpoint.every</c> steps and at the end, redrawing the loss plot,
    /// and finally exporting the student to <see cref="TrainingRunPaths.Student"/>. Cancellation is honoured between
    /// steps: the last completed step is checkpointed before the call returns with <see cref="TrainingRunResult.Cancelled"/>.
    /// </summary>
    /// <param name="progress">One report per step, or null.</param>
    /// <param name="cancellationToken">Stops the run between steps (after checkpointing).</param>
    /// <exception cref="CheckpointException">A checkpoint could not be written.</exception>
    public async Task<TrainingRunResult> RunAsync(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var clock = Stopwatch.StartNew();
        long start = StartStep;
        long max = Config.MaxSteps;
        Directory.CreateDirectory(Paths.OutputDir);
        using var metrics = CsvMetricsLogger.Open(Paths.MetricsCsv, MetricColumns.All, resumeStep: start - 1);
        var callback = new TrainingRunCallback(Config, Paths, metrics, checkpoints, content, Loader, logger, Plotter)
        {
            Completed = start,
            SavedAt = ResumedFrom?.GlobalStep ?? -1,
        };
        TrainerSummary? summary = null;
        bool cancelled = false;
        if (start < max)
        {
            var trainer = new Trainer(Step, new TrainerOptions
            {
                StartStep = start,
                MaxSteps = max,
                RecipeAt = s => StepRecipe.FromStage(Config.StageAt(s), Generator),
            }, callback);
            logger.LogInformation("Training steps {Start} to {Max}", start, max);
            try
            {
                // The loop is synchronous and compute-bound: keep it off the caller's thread.
                summary = await Task.Run(() => trainer.Run(Batches(), progress, cancellationToken), CancellationToken.None).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                cancelled = true;
            }
        }

        // Whatever ended the loop between steps, the last completed step goes to disk.
        callback.SaveIfNeeded();
        callback.Plot();
        StartStep = callback.Completed;
        string? exported = null;
        if (cancelled)
        {
            logger.LogWarning("Cancelled after step {Step}; resume continues from {Checkpoint}", callback.Completed, callback.LastCheckpoint?.Path ?? ResumedFrom?.Path);
        }
        else
        {
            Models.ExportStudent(Paths.Student);
            exported = Paths.Student;
            logger.LogInformation("Student exported to {Folder}", exported);
        }

        return new TrainingRunResult(start, callback.Completed, callback.Completed - start, cancelled, callback.LastCheckpoint, exported, summary?.Last, clock.Elapsed);
    }

    /// <summary>The step settings a configuration describes: its <c>loss</c> section, with the perceptual weight its <c>reconstruction</c> section implies.</summary>
    public static TrainingStepOptions StepOptions(TsdSrTrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Loss with { PerceptualWeight = config.Reconstruction.PerceptualWeight };
    }

    /// <summary>Disposes the batch source, the models, the perceptual loss, the optimisers and the generator.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        (Loader as IDisposable)?.Dispose();
        Step.Dispose();
        Step.StudentOptimizer.Dispose();
        Step.FakeScoreOptimizer.Dispose();
        Generator.Dispose();
        (perceptual as IDisposable)?.Dispose();
        Models.Transformer.Dispose();
        Models.Vae.Dispose();
        folderLock.Dispose();
    }

    /// <summary>The newest valid checkpoint on disk, or null when there is none (what a failed run can honestly point to).</summary>
    public CheckpointInfo? LatestCheckpoint() => checkpoints.List().FirstOrDefault(c => CheckpointManager.Verify(c.Path) is null);

    private void TryResume()
    {
        var info = checkpoints.TryResume(content);
        if (info is null)
        {
            logger.LogInformation("No checkpoint in {Folder}: starting at step 0", Paths.Checkpoints);
            return;
        }

        if (!content.Extra.TryGetValue(TrainingRunCallback.DataPositionKey, out var position))
        {
            throw new CheckpointException(info.Path, $"it has no '{TrainingRunCallback.DataPositionKey}' value (not written by a training run).");
        }

        try
        {
            Loader.State = position;
        }
        catch (ArgumentException e)
        {
            throw new CheckpointException(info.Path, $"its data position does not fit the configured {(Config.Data.IsOnline ? "HR" : "pair")} folders: {e.Message}", e);
        }

        ResumedFrom = info;
        StartStep = info.GlobalStep;
        logger.LogInformation("Resumed from {Checkpoint} at step {Step}", info.Path, info.GlobalStep);
    }

    private IEnumerable<TrainingBatch> Batches()
    {
        // Endless: the trainer stops at max_steps without pulling another batch.
        while (true)
        {
            yield return Loader.Next();
        }
    }

    /// <summary>
    /// The batch source the data section describes: the pair folders, or the HR folders with crops of
    /// <c>crop_size</c> and the configured degradation at <c>scale</c> (seeded with <c>seed</c>, endless).
    /// </summary>
    /// <exception cref="TrainingConfigException">The data section is invalid, or the degradation file is not a valid degradation config.</exception>
    /// <exception cref="TsdSr.Data.PairFolders.PairFolderException">A pair folder is inconsistent.</exception>
    public static ITrainingBatchSource OpenData(TsdSrTrainingConfig config, ILogger? logger = null) => OpenData(config, logger, degrade: true);

    /// <summary>
    /// As <see cref="OpenData(TsdSrTrainingConfig, ILogger?)"/>; with <paramref name="degrade"/> false, online batches carry
    /// the HR crops only (their LR fields are the HR crop itself), for stages that never look at an LR image.
    /// </summary>
    public static ITrainingBatchSource OpenData(TsdSrTrainingConfig config, ILogger? logger, bool degrade)
    {
        ArgumentNullException.ThrowIfNull(config);
        var log = logger ?? NullLogger.Instance;
        var data = config.Data;
        if (!data.IsOnline)
        {
            var loader = PairBatchLoader.Open(data.PairFolders, data.BatchSize, config.Seed, data.Shuffle);
            log.LogInformation("Training data: {Pairs} pairs in {Folders} folder(s), batch {Batch}", loader.Count, data.PairFolders.Count, data.BatchSize);
            return loader;
        }

        DegradationConfig degradation;
        CropOptions crop;
        try
        {
            degradation = (DegradationConfigFile.Resolve(data.Degradation ?? DataSection.DefaultDegradation) with { Scale = data.Scale }).Validate();
            crop = new CropOptions { Size = data.CropSize }.Validate(data.Scale);
        }
        catch (Exception e) when (e is ArgumentException or IOException)
        {
            throw new TrainingConfigException("config", [$"data.degradation: {e.Message}"], e);
        }

        var images = HrImageFolder.Scan(data.HrFolders);
        var dataset = new DegradedPairDataset(images, new RealEsrganDegradation(degradation), new PairDatasetOptions
        {
            BatchSize = data.BatchSize,
            Crop = crop,
            Seed = config.Seed,
            Shuffle = data.Shuffle,
            Degrade = degrade,
            DecodedImageCacheBytes = data.CacheMegabytes * (1L << 20),
        });
        log.LogInformation("Training data: {Images} HR images in {Folders} folder(s), online '{Degradation}' degradation x{Scale}, {Crop}px crops, batch {Batch}",
            images.Files.Count, data.HrFolders.Count, degradation.Name, data.Scale, data.CropSize, data.BatchSize);
        return new DegradedBatchSource(dataset);
    }

    private static IPerceptualLoss? CreatePerceptual(TsdSrTrainingConfig config, Device device)
    {
        var lpips = CreateLpips(config, device);
        var weights = config.Reconstruction;
        if (weights.PixelWeight <= 0)
        {
            return lpips;
        }

        var pixel = new PixelReconstructionLoss(config.PixelLoss);
        return lpips is null ? pixel : new OwningWeightedLoss(lpips, weights.LpipsWeight, pixel, weights.PixelWeight);
    }

    private static IPerceptualLoss? CreateLpips(TsdSrTrainingConfig config, Device device)
    {
        if (config.Reconstruction.LpipsWeight <= 0)
        {
            return null;
        }

        var network = LpipsNetwork.Create(config.Reconstruction.LpipsNet, config.Models.LpipsBackbone!);
        try
        {
            if (config.Models.LpipsHeads is { } heads)
            {
                // The v0.1 heads are embedded; a given file (the official lin*.model.1.weight keys) replaces them.
                TsdSr.Core.StateDicts.WeightLoader.Load(network, heads, new TsdSr.Core.StateDicts.WeightLoadOptions
                {
                    KeyMap = k => k.StartsWith("lin", StringComparison.Ordinal) ? k : null,
                    ModuleKeyFilter = k => k.StartsWith("lin", StringComparison.Ordinal),
                });
            }

            network.to(device);
            return new LpipsPerceptualLoss(network);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>LPIPS plus the pixel distance, owning (and disposing) the LPIPS network.</summary>
    private sealed class OwningWeightedLoss(IPerceptualLoss lpips, double lpipsWeight, IPerceptualLoss pixel, double pixelWeight) : IPerceptualLoss, IDisposable
    {
        private readonly WeightedPerceptualLoss sum = new((lpips, lpipsWeight), (pixel, pixelWeight));

        public Tensor Compute(Tensor x, Tensor y) => sum.Compute(x, y);

        public void Dispose() => (lpips as IDisposable)?.Dispose();
    }

    private static FlowMatchEulerDiscreteScheduler CreateScheduler(string baseModel)
    {
        try
        {
            var paths = DiffusersLayout.Resolve(baseModel, "scheduler");
            return new FlowMatchEulerDiscreteScheduler(FlowMatchEulerDiscreteSchedulerConfig.FromFile(paths.ConfigPath));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // SD3's own schedule (shift 3) when the folder carries no scheduler/.
            return new FlowMatchEulerDiscreteScheduler(new FlowMatchEulerDiscreteSchedulerConfig { Shift = 3.0 });
        }
    }
}
