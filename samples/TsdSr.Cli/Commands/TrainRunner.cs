using TsdSr.Core.Devices;
using TsdSr.Core.StateDicts;
using TsdSr.Data.PairFolders;
using TsdSr.Models.Lora;
using TsdSr.Cli.Plotting;
using TsdSr.Training.Checkpoints;
using TsdSr.Training.Config;
using TsdSr.Training.Metrics;
using TsdSr.Training.Runs;

namespace TsdSr.Cli.Commands;

/// <summary>Runs <c>tsdsr train</c>: reads and checks the configuration, builds the run, trains with a live line, reports the outcome.</summary>
internal sealed class TrainRunner(TextWriter output, TextWriter error, bool interactive, ILossPlotter? plotter = null)
{
    private readonly ILossPlotter plotter = plotter ?? new ScottPlotLossPlotter();

    /// <summary>Trained to max_steps and exported the student.</summary>
    public const int Success = ExitCodes.Success;

    /// <summary>Training failed while running (the last checkpoint, if any, is intact).</summary>
    public const int RunFailed = ExitCodes.SomeFailed;

    /// <summary>Bad configuration, missing files, an unusable device or a checkpoint that does not fit: nothing was trained.</summary>
    public const int SetupFailed = ExitCodes.SetupFailed;

    /// <summary>Cancelled (Ctrl+C) after checkpointing the last completed step.</summary>
    public const int Cancelled = ExitCodes.Cancelled;

    public async Task<int> RunAsync(TrainRequest request, CancellationToken cancellationToken)
    {
        TsdSrTrainingConfig config;
        try
        {
            config = Effective(request);
        }
        catch (TrainingConfigException e)
        {
            error.WriteLine(e.Message);
            return SetupFailed;
        }

        if (request.PrintConfig)
        {
            output.WriteLine(config.ToJson());
            return Success;
        }

        if (config.Stage != TrainingStageKind.Student)
        {
            return await RunPretrainingAsync(config, cancellationToken).ConfigureAwait(false);
        }

        var progress = new TrainProgressLine(output, interactive);
        var logger = new TextWriterLogger<TrainingRun>(error, progress.Clear);
        TrainingRun run;
        try
        {
            output.WriteLine($"Loading the models from '{Path.GetFullPath(config.Models.BaseModel)}' (device {config.Device}, {config.Dtype} base, fp32 LoRA) ...");
            run = await Task.Run(() => TrainingRun.Open(config, logger, cancellationToken), CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            error.WriteLine("Cancelled while loading; nothing was trained.");
            return Cancelled;
        }
        catch (Exception e) when (e is TrainingConfigException or TrainingRunFilesException or PairFolderException or CheckpointException
            or LoraLoadException or TorchBackendException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or ArgumentException
            or MemoryEstimateException or WeightLoadException or FormatException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine(e.Message);
            return SetupFailed;
        }

        using (run)
        {
            run.Plotter = plotter;
            var paths = run.Paths;
            output.WriteLine(run.ResumedFrom is { } from
                ? $"Resuming at step {run.StartStep} from '{from.Path}'."
                : $"Starting at step 0 (output '{paths.OutputDir}').");
            TrainingRunResult result;
            try
            {
                result = await run.RunAsync(progress, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                progress.Clear();
                error.WriteLine($"Training failed: {e.Message}");
                // Only a checkpoint that exists on disk may be pointed to.
                error.WriteLine(run.LatestCheckpoint() is { } last
                    ? $"The last checkpoint, '{last.Path}' (step {last.GlobalStep}), is intact; run the same command again to resume from it."
                    : $"No checkpoint was written to '{paths.Checkpoints}'; a new run starts at step 0.");
                return RunFailed;
            }

            progress.Clear();
            if (result.Cancelled)
            {
                var kept = run.LatestCheckpoint();
                error.WriteLine(kept is null
                    ? $"Cancelled after step {result.NextStep}; no checkpoint could be kept, so nothing was saved."
                    : $"Cancelled after step {result.NextStep}. Kept checkpoint '{kept.Path}' (step {kept.GlobalStep}); "
                        + (kept.GlobalStep < result.NextStep ? $"steps {kept.GlobalStep + 1} to {result.NextStep} were discarded." : "no completed step was lost.")
                        + " Run the same command to resume.");
                return Cancelled;
            }

            output.WriteLine($"Done: steps {result.StartStep}..{result.NextStep} ({result.StepsDone} this run) in {result.Elapsed.TotalSeconds:0.0} s.");
            output.WriteLine($"Metrics: {paths.MetricsCsv}  plot: {paths.PlotPng}");
            output.WriteLine($"Student: {result.ExportedStudent} (use it with: tsdsr upscale --lora {result.ExportedStudent} ...)");
            return Success;
        }
    }

    private async Task<int> RunPretrainingAsync(TsdSrTrainingConfig config, CancellationToken cancellationToken)
    {
        var progress = new TrainProgressLine(output, interactive);
        var logger = new TextWriterLogger<PretrainingRun>(error, progress.Clear);
        var stage = config.Stage == TrainingStageKind.Vae ? "VAE" : "teacher";
        PretrainingRun run;
        try
        {
            output.WriteLine($"Building the {stage} stage (device {config.Device}, fp32) ...");
            run = await Task.Run(() => PretrainingRun.Open(config, logger, cancellationToken), CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            error.WriteLine("Cancelled while loading; nothing was trained.");
            return Cancelled;
        }
        catch (Exception e) when (e is TrainingConfigException or TrainingRunFilesException or CheckpointException or TorchBackendException
            or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or ArgumentException or FormatException)
        {
            error.WriteLine(e.Message);
            return SetupFailed;
        }

        using (run)
        {
            run.Plotter = plotter;
            output.WriteLine(run.ResumedFrom is { } from
                ? $"Resuming at step {run.StartStep} from '{from.Path}'."
                : $"Starting at step 0 (output '{run.Paths.OutputDir}').");
            PretrainingResult result;
            try
            {
                result = await run.RunAsync(progress, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                progress.Clear();
                error.WriteLine($"Training failed: {e.Message}");
                var checkpoint = run.ResumedFrom?.Path;
                error.WriteLine(checkpoint is null
                    ? "No checkpoint of this run exists yet."
                    : $"Checkpoints in '{run.Paths.Checkpoints}' are kept; run the same command again to resume.");
                return RunFailed;
            }

            progress.Clear();
            if (result.Cancelled)
            {
                var where = result.LastCheckpoint?.Path;
                error.WriteLine($"Cancelled after step {result.NextStep}{(where is null ? "; no checkpoint was written." : $"; checkpoint '{where}'.")} Run the same command to resume.");
                return Cancelled;
            }

            output.WriteLine($"Done: steps {result.StartStep}..{result.NextStep} ({result.StepsDone} this run) in {result.Elapsed.TotalSeconds:0.0} s.");
            output.WriteLine($"Metrics: {run.Paths.MetricsCsv}  plot: {run.Paths.PlotPng}");
            output.WriteLine($"Exported: {result.Exported}");
            return Success;
        }
    }

    private static TsdSrTrainingConfig Effective(TrainRequest request)
    {
        if (request.Config is null)
        {
            if (request.PrintConfig)
            {
                var defaults = new TsdSrTrainingConfig();
                return request.MaxSteps is { } m ? defaults with { MaxSteps = m } : defaults;
            }

            throw new TrainingConfigException("--config", ["give the training configuration file with --config FILE.json (tsdsr train --print-config prints the defaults)."]);
        }

        var config = TsdSrTrainingConfig.Load(request.Config);
        if (request.MaxSteps is { } max)
        {
            config = config with { MaxSteps = max };
            var errors = config.Validate();
            if (errors.Count > 0)
            {
                throw new TrainingConfigException($"{request.Config} with --max-steps {max}", errors);
            }
        }

        return config;
    }
}
