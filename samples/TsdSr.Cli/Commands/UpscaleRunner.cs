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
    public const int Success = 0;

    /// <summary>At least one image failed.</summary>
    public const int ImagesFailed = 1;

    /// <summary>Bad arguments, missing weights, or models that cannot load: nothing was upscaled.</summary>
    public const int SetupFailed = 2;

    /// <summary>Cancelled (Ctrl+C).</summary>
    public const int Cancelled = 130;

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
            var progress = new ConsoleProgress(output, interactive);
            try
            {
                int loaded = await LoadAsync(upscaler, progress, cancellationToken).ConfigureAwait(false);
                if (loaded != Success)
                {
                    return loaded;
                }

                return folder
                    ? await RunFolderAsync(upscaler, input, Path.GetFullPath(request.Output), progress, cancellationToken).ConfigureAwait(false)
                    : await RunFileAsync(upscaler, input, request.Output, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                progress.Clear();
                error.WriteLine("Cancelled.");
                return Cancelled;
            }
        }
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

    private async Task<int> RunFileAsync(TsdSrUpscaler upscaler, string input, string outputPath, ConsoleProgress progress, CancellationToken cancellationToken)
    {
        // A path without an extension is a folder: the output keeps the input's base name.
        var target = Directory.Exists(outputPath) || Path.EndsInDirectorySeparator(outputPath) || !Path.HasExtension(outputPath)
            ? Path.Combine(Path.GetFullPath(outputPath), Path.GetFileNameWithoutExtension(input) + ".png")
            : Path.GetFullPath(outputPath);
        var sw = Stopwatch.StartNew();
        UpscaleResult result;
        try
        {
            result = await upscaler.UpscaleAsync(input, target, progress: progress, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            result = new UpscaleResult(input, null, 0, 0, 0, 0, sw.Elapsed, e);
        }

        progress.Clear();
        PrintResult(result);
        PrintSummary([result], sw.Elapsed);
        return result.Succeeded ? Success : ImagesFailed;
    }

    private async Task<int> RunFolderAsync(TsdSrUpscaler upscaler, string input, string outputFolder, ConsoleProgress progress, CancellationToken cancellationToken)
    {
        var sw = Stopwatch.StartNew();
        var results = new List<UpscaleResult>();
        await foreach (var result in upscaler.UpscaleFolderAsync(input, outputFolder, progress: progress, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            progress.Clear();
            PrintResult(result);
            results.Add(result);
        }

        if (results.Count == 0)
        {
            error.WriteLine($"No PNG, JPEG, BMP or WebP images in '{input}'.");
            return ImagesFailed;
        }

        PrintSummary(results, sw.Elapsed);
        return results.TrueForAll(r => r.Succeeded) ? Success : ImagesFailed;
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
        foreach (var r in results.Where(r => !r.Succeeded))
        {
            error.WriteLine($"Failed: {r.InputPath}: {r.Error!.Message}");
        }
    }

    private static string Dtype(TsdSrDtype dtype) => dtype.ToString().ToLowerInvariant();
}
