using System.Diagnostics;
using Microsoft.Extensions.Options;
using TsdSr.Imaging;
using TsdSr.Inference;
using TsdSr.Inference.Hosting;

namespace TsdSr.Cli.Commands;

/// <summary>Runs <c>tsdsr upscale</c>: checks the inputs and weights, loads once, upscales a file or a folder, prints a summary.</summary>
internal sealed class UpscaleRunner(TextWriter output, TextWriter error, ITsdSrPipelineFactory factory, bool interactive)
{
    /// <summary>Everything went through.</summary>
    public const int Success = ExitCodes.Success;

    /// <summary>At least one image failed.</summary>
    public const int ImagesFailed = ExitCodes.SomeFailed;

    /// <summary>Bad arguments, missing weights, or models that cannot load: nothing was upscaled.</summary>
    public const int SetupFailed = ExitCodes.SetupFailed;

    /// <summary>Cancelled (Ctrl+C).</summary>
    public const int Cancelled = ExitCodes.Cancelled;

    public async Task<int> RunAsync(UpscaleRequest request, CancellationToken cancellationToken)
    {
        var input = Path.GetFullPath(request.Input);
        bool folder = Directory.Exists(input);
        if (!folder && !File.Exists(input))
        {
            error.WriteLine($"Input not found: '{input}' (give an image file or a folder of PNG/JPEG/BMP/WebP images).");
            return SetupFailed;
        }

        var options = request.ToOptions();
        if (!options.UsesBundledModel && (string.IsNullOrWhiteSpace(options.ModelDirectory) || string.IsNullOrWhiteSpace(options.LoraDirectory) || string.IsNullOrWhiteSpace(options.EmbeddingsDirectory)))
        {
            error.WriteLine("Give --model, --lora and --embeddings together (SD3-medium, the TSD-SR LoRA and the prompt embeddings), or none of them for the bundled TSD-SR-nano model.");
            return SetupFailed;
        }

        if (options.UsesBundledModel && BundledModel.TryFind() is null)
        {
            error.WriteLine($"No model given and no bundled model in '{BundledModel.DefaultDirectory}': give --model, --lora and --embeddings (SD3-medium and the TSD-SR LoRA).");
            error.WriteLine("How to get them: " + TsdSrModelFiles.DownloadHelp);
            return SetupFailed;
        }

        var missing = TsdSrModelFiles.FindMissing(options.ToModelPaths());
        if (missing.Count > 0)
        {
            error.WriteLine("Model files are missing:");
            foreach (var m in missing)
            {
                error.WriteLine("  - " + m);
            }

            error.WriteLine();
            error.WriteLine("Expected layout:");
            error.WriteLine("  --model       <sd3-medium>/transformer/{config.json, diffusion_pytorch_model.safetensors}, <sd3-medium>/vae/{config.json, diffusion_pytorch_model.safetensors}");
            error.WriteLine("  --lora        <lora>/transformer.safetensors, <lora>/vae.safetensors");
            error.WriteLine("  --embeddings  <embeddings>/prompt_embeds.pt + pool_embeds.pt (or embeddings.safetensors)");
            error.WriteLine("How to get them: " + TsdSrModelFiles.DownloadHelp);
            return SetupFailed;
        }

        TsdSrUpscaler upscaler;
        try
        {
            upscaler = new TsdSrUpscaler(Options.Create(options), factory);
        }
        catch (OptionsValidationException e)
        {
            error.WriteLine("Invalid options:");
            foreach (var f in e.Failures)
            {
                error.WriteLine("  - " + f);
            }

            return SetupFailed;
        }

        if (options.Scale != 4)
        {
            error.WriteLine($"Warning: the released TSD-SR weights are trained for x4 only; --scale {options.Scale} needs weights trained for that scale.");
        }

        await using (upscaler.ConfigureAwait(false))
        {
            UpscaleBatch batch;
            try
            {
                // Everything that can be checked without the models is checked first: outputs, limits, headers.
                batch = folder
                    ? upscaler.PlanFolder(input, Path.GetFullPath(request.Output))
                    : upscaler.PlanFile(input, request.Output);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine(e.Message);
                return SetupFailed;
            }

            using (batch)
            {
                return await RunBatchAsync(upscaler, batch, input, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<int> RunBatchAsync(TsdSrUpscaler upscaler, UpscaleBatch batch, string input, CancellationToken cancellationToken)
    {
        if (batch.Jobs.Count == 0)
        {
            error.WriteLine($"No PNG, JPEG, BMP or WebP images in '{input}'.");
            return ImagesFailed;
        }

        if (batch.OutputConflicts is { Count: > 0 } conflicts)
        {
            error.WriteLine($"Nothing was written: {conflicts.Count} output(s) are refused.");
            foreach (var job in conflicts)
            {
                error.WriteLine($"  {job.Name}: {job.Refusal!.Message}");
            }

            return SetupFailed;
        }

        var progress = new ConsoleProgress(output, interactive);
        var results = new List<UpscaleResult>();
        var sw = Stopwatch.StartNew();
        try
        {
            if (batch.Jobs.Any(j => j.IsRunnable))
            {
                int loaded = await LoadAsync(upscaler, progress, cancellationToken).ConfigureAwait(false);
                if (loaded != Success)
                {
                    return loaded;
                }
            }

            await foreach (var result in upscaler.RunAsync(batch, progress, cancellationToken).ConfigureAwait(false))
            {
                progress.Clear();
                PrintResult(result);
                results.Add(result);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            progress.Clear();
            PrintCancelled(batch, results);
            return Cancelled;
        }

        PrintSummary(results, sw.Elapsed);
        return results.TrueForAll(r => r.Succeeded) ? Success : ImagesFailed;
    }

    private async Task<int> LoadAsync(TsdSrUpscaler upscaler, ConsoleProgress progress, CancellationToken cancellationToken)
    {
        var o = upscaler.Options;
        var paths = o.ToModelPaths();
        output.WriteLine(o.UsesBundledModel
            ? $"Loading TSD-SR-nano (bundled, '{paths.ModelDirectory}', device {o.Device}) ..."
            : $"Loading TSD-SR (model '{Path.GetFullPath(paths.ModelDirectory)}', LoRA '{Path.GetFullPath(paths.LoraDirectory)}', device {o.Device}) ...");
        var sw = Stopwatch.StartNew();
        try
        {
            await upscaler.LoadAsync(progress, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            progress.Clear();
            error.WriteLine($"Could not load the models: {e.Message}");
            if (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
            {
                error.WriteLine("How to get the weights: " + TsdSrModelFiles.DownloadHelp);
            }

            return SetupFailed;
        }

        progress.Clear();
        bool cuda = upscaler.Device!.StartsWith("cuda", StringComparison.OrdinalIgnoreCase);
        output.WriteLine($"Loaded on {upscaler.Device} (transformer {Dtype(o.ResolveTransformerDtype(cuda))}, VAE {Dtype(o.ResolveVaeDtype(cuda))}) in {sw.Elapsed.TotalSeconds:0.0} s.");
        return Success;
    }

    private void PrintResult(UpscaleResult r)
    {
        if (r.Succeeded)
        {
            output.WriteLine($"  ok    {r.Name}  {r.InputWidth}x{r.InputHeight} -> {r.OutputWidth}x{r.OutputHeight}  {r.Elapsed.TotalSeconds:0.0} s  -> {r.OutputPath}");
        }
        else
        {
            error.WriteLine($"  FAIL  {r.Name}: {r.Error!.Message}");
        }
    }

    private void PrintSummary(List<UpscaleResult> results, TimeSpan total)
    {
        int ok = results.Count(r => r.Succeeded);
        var perImage = ok > 0 ? $", {results.Where(r => r.Succeeded).Average(r => r.Elapsed.TotalSeconds):0.0} s per image" : "";
        output.WriteLine($"Done: {ok} upscaled, {results.Count - ok} failed, {total.TotalSeconds:0.0} s{perImage}.");
        if (ok < results.Count)
        {
            // The reasons were printed once, on each FAIL line.
            error.WriteLine($"Failed: {string.Join(", ", results.Where(r => !r.Succeeded).Select(r => r.Name))} (reasons above).");
        }
    }

    private void PrintCancelled(UpscaleBatch batch, List<UpscaleResult> results)
    {
        int kept = results.Count(r => r.Succeeded);
        var inProgress = batch.Jobs.Skip(results.Count).FirstOrDefault(j => j.IsRunnable);
        var left = batch.Jobs.Skip(results.Count).Count(j => j.IsRunnable) - (inProgress is null ? 0 : 1);
        error.WriteLine($"Cancelled. Kept {kept} finished output(s) in '{batch.OutputFolder}'."
            + (inProgress is null ? string.Empty : $" Discarded the image in progress ({inProgress.Name}); no partial file was left.")
            + (left > 0 ? $" {left} image(s) were not started." : string.Empty));
    }

    private static string Dtype(TsdSrDtype dtype) => dtype.ToString().ToLowerInvariant();
}
