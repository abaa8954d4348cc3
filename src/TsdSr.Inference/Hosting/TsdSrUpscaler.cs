using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TsdSr.Core.Files;
using TsdSr.Imaging;

namespace TsdSr.Inference.Hosting;

/// <summary>
/// The hosting face of TSD-SR: an async, thread-safe, cancellable upscaler over one lazily loaded
/// <see cref="ITsdSrPipeline"/>. Register it as a singleton (<c>services.AddTsdSr(...)</c>); the container disposes the
/// models with the host.
/// </summary>
/// <remarks>
/// The synchronous pipeline runs on a dedicated long-running worker thread per call (torch dispose scopes and grad mode
/// are thread-local, so nothing is awaited inside them). Calls are serialised by a semaphore: one image at a time on the
/// device, callers queue in arrival order and may cancel while queued. Cancellation reaches the pipeline, which checks
/// it between stages and tiles.
/// </remarks>
public sealed class TsdSrUpscaler : ITsdSrUpscaler, IDisposable, IAsyncDisposable
{
    private readonly TsdSrOptions options;
    private readonly ITsdSrPipelineFactory factory;
    private readonly ILogger logger;
    private readonly UpscaleSettings defaultSettings;
    private readonly ImageLoadOptions loadOptions;
    private readonly ImageSaveOptions saveOptions;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly CancellationTokenSource disposing = new();
    private ITsdSrPipeline? pipeline;
    private int disposed;
    private int scaleWarned;

    /// <summary>Creates the upscaler; nothing is loaded until the first call or <see cref="LoadAsync"/>.</summary>
    /// <param name="options">Options; validated here too when they did not come through the options pipeline.</param>
    /// <param name="factory">Loads the pipeline.</param>
    /// <param name="logger">Logger; null logs nothing.</param>
    /// <exception cref="OptionsValidationException">The options are invalid (every failure is listed).</exception>
    public TsdSrUpscaler(IOptions<TsdSrOptions> options, ITsdSrPipelineFactory factory, ILogger<TsdSrUpscaler>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(factory);
        this.options = options.Value;
        TsdSrOptionsValidator.ThrowIfInvalid(this.options);
        this.factory = factory;
        this.logger = logger ?? (ILogger)NullLogger.Instance;
        defaultSettings = this.options.ToUpscaleSettings();
        loadOptions = this.options.ToImageLoadOptions();
        saveOptions = this.options.ToImageSaveOptions();
    }

    /// <summary>The options in use.</summary>
    public TsdSrOptions Options => this.options;

    /// <summary>Whether the models are loaded.</summary>
    public bool IsLoaded => Volatile.Read(ref this.pipeline) is not null;

    /// <summary>The device the models run on, or null before loading.</summary>
    public string? Device => Volatile.Read(ref this.pipeline)?.Device;

    /// <summary>Loads the models now (they otherwise load on first use). Returns at once when already loaded.</summary>
    /// <exception cref="ObjectDisposedException">The upscaler was disposed.</exception>
    public Task LoadAsync(IProgress<TsdSrProgress>? progress = null, CancellationToken cancellationToken = default) =>
        RunExclusiveAsync<bool>(null, progress, cancellationToken);

    /// <summary>Upscales one image.</summary>
    /// <param name="image">The input (RGB, optional alpha).</param>
    /// <param name="settings">Per-image settings; null uses the defaults from <see cref="TsdSrOptions"/>.</param>
    /// <param name="progress">Stage and tile reports, raised on the worker thread.</param>
    /// <param name="cancellationToken">Cancels while queued for the device, loading, or between tiles.</param>
    /// <returns>The upscaled image.</returns>
    /// <exception cref="ArgumentException">Invalid settings.</exception>
    /// <exception cref="ImageTooLargeException">The work size is over <see cref="TsdSrOptions.MaxProcessPixels"/> or <see cref="TsdSrOptions.MaxAspectRatio"/>.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The upscaler was disposed.</exception>
    public Task<RgbImage> UpscaleAsync(RgbImage image, UpscaleSettings? settings = null, IProgress<TsdSrProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        return UpscaleCoreAsync(image, ResolveSettings(settings), null, progress, cancellationToken);
    }

    /// <summary>
    /// Upscales an image file (PNG, JPEG, BMP or WebP) and writes the result. The output path follows
    /// <see cref="OutputPaths.ForInput"/>: a folder (existing, ending with a separator, or without an extension) receives
    /// <c>&lt;input base name&gt;.png</c>; a file path is written in the format its extension names (.png, .jpg/.jpeg at
    /// <see cref="TsdSrOptions.JpegQuality"/>, .bmp, .webp). Everything is checked before the models load: an existing
    /// output is refused unless <see cref="TsdSrOptions.OverwriteOutputs"/>, the input itself always, and so is an
    /// unwritable folder.
    /// </summary>
    /// <returns>Sizes, output path and time.</returns>
    /// <exception cref="FileNotFoundException">The input does not exist.</exception>
    /// <exception cref="ImageFormatException">The input is unsupported, corrupt, truncated or over the size limits.</exception>
    /// <exception cref="ImageTooLargeException">The work size is over <see cref="TsdSrOptions.MaxProcessPixels"/> or <see cref="TsdSrOptions.MaxAspectRatio"/>.</exception>
    /// <exception cref="IOException">The output is refused (it exists, it is the input, its extension names no format) or its folder is not writable.</exception>
    public async Task<UpscaleResult> UpscaleAsync(string inputPath, string outputPath, UpscaleSettings? settings = null, IProgress<TsdSrProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var batch = PlanFile(inputPath, outputPath, settings);
        var job = batch.Jobs[0];
        if (job.Refusal is { } refusal)
        {
            ExceptionDispatchInfo.Throw(refusal);
        }

        return await ProcessFileAsync(job, batch.Settings, progress, catchErrors: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks one file upscale without loading anything: the output path (<see cref="OutputPaths"/>), the output folder's
    /// writability, the input's header and its work size. Refusals are recorded in the job, not thrown.
    /// </summary>
    /// <exception cref="IOException">The output folder cannot be written.</exception>
    public UpscaleBatch PlanFile(string inputPath, string outputPath, UpscaleSettings? settings = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(inputPath);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        var s = ResolveSettings(settings);
        var input = Path.GetFullPath(inputPath);
        var output = OutputPaths.ForInput(input, outputPath);
        var folder = Path.GetDirectoryName(output)!;
        RequireWritable(folder);
        return new UpscaleBatch([PlanJob(input, output, s, null, null)], s, folder, null);
    }

    /// <summary>
    /// Checks a folder upscale without loading anything: every PNG, JPEG, BMP and WebP file directly in
    /// <paramref name="inputFolder"/> (sorted by name) becomes <c>&lt;base name&gt;.png</c> in <paramref name="outputFolder"/>,
    /// with refusals recorded per image (unreadable header, work size over a limit, existing output, two inputs sharing a
    /// base name, an output that is an input). The batch holds the output folder's lock until disposed, so a second run
    /// writing into the same folder is refused instead of mixing its files with this one's.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The input folder does not exist.</exception>
    /// <exception cref="IOException">The output folder cannot be written.</exception>
    /// <exception cref="OutputFolderLockedException">Another run holds the output folder.</exception>
    public UpscaleBatch PlanFolder(string inputFolder, string outputFolder, UpscaleSettings? settings = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(inputFolder);
        ArgumentException.ThrowIfNullOrEmpty(outputFolder);
        var s = ResolveSettings(settings);
        var files = ListImages(inputFolder);
        var outDir = Path.GetFullPath(outputFolder);
        if (files.Count == 0)
        {
            return new UpscaleBatch([], s, outDir, null);
        }

        RequireWritable(outDir);
        var folderLock = OutputFolderLock.Acquire(outDir, "tsdsr upscale");
        try
        {
            var claimed = new Dictionary<string, string>(OutputPaths.Comparer);
            var jobs = files.Select(f => PlanJob(f, Path.Combine(outDir, Path.GetFileNameWithoutExtension(f) + OutputPaths.DefaultExtension), s, claimed, files)).ToList();
            return new UpscaleBatch(jobs, s, outDir, folderLock);
        }
        catch
        {
            folderLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs a checked batch: refused jobs yield their refusal as a failed result; the others are upscaled one by one, a
    /// bad image yielding a result with its <see cref="UpscaleResult.Error"/> while the batch goes on. The models load
    /// first, and only when some job is runnable; a model that cannot load, cancellation and disposal end the batch with
    /// an exception.
    /// </summary>
    public async IAsyncEnumerable<UpscaleResult> RunAsync(UpscaleBatch batch, IProgress<TsdSrProgress>? progress = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (batch.Jobs.Any(j => j.IsRunnable))
        {
            await LoadAsync(progress, cancellationToken).ConfigureAwait(false);
        }

        foreach (var job in batch.Jobs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return job.Refusal is { } refusal
                ? new UpscaleResult(job.InputPath, null, job.Width, job.Height, 0, 0, TimeSpan.Zero, refusal)
                : await ProcessFileAsync(job, batch.Settings, progress, catchErrors: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Decodes an image from <paramref name="input"/>, upscales it and encodes the result as PNG into <paramref name="pngOutput"/>.</summary>
    /// <returns>Sizes and time (no output path).</returns>
    /// <exception cref="ImageFormatException">The input is unsupported, corrupt or over the size limits.</exception>
    public async Task<UpscaleResult> UpscaleAsync(Stream input, Stream pngOutput, UpscaleSettings? settings = null, IProgress<TsdSrProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(pngOutput);
        var s = ResolveSettings(settings);
        var sw = Stopwatch.StartNew();
        const string name = "(stream)";
        var image = await Task.Run(() => ImageCodec.Load(input, name, loadOptions), cancellationToken).ConfigureAwait(false);
        var output = await UpscaleCoreAsync(image, s, null, progress, cancellationToken).ConfigureAwait(false);
        await Task.Run(() => ImageCodec.EncodePng(output, pngOutput), cancellationToken).ConfigureAwait(false);
        return new UpscaleResult(name, null, image.Width, image.Height, output.Width, output.Height, sw.Elapsed);
    }

    /// <summary>
    /// Upscales every PNG, JPEG, BMP and WebP file directly in <paramref name="inputFolder"/> (sorted by name) into
    /// <paramref name="outputFolder"/> as <c>&lt;base name&gt;.png</c>, one result per image as it finishes:
    /// <see cref="PlanFolder"/> then <see cref="RunAsync"/>. Refused and bad images yield results with their
    /// <see cref="UpscaleResult.Error"/> and the batch goes on; the output folder is locked for the whole batch.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The input folder does not exist.</exception>
    /// <exception cref="IOException">The output folder cannot be written.</exception>
    /// <exception cref="OutputFolderLockedException">Another run holds the output folder.</exception>
    public async IAsyncEnumerable<UpscaleResult> UpscaleFolderAsync(
        string inputFolder,
        string outputFolder,
        UpscaleSettings? settings = null,
        IProgress<TsdSrProgress>? progress = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var batch = PlanFolder(inputFolder, outputFolder, settings);
        await foreach (var result in RunAsync(batch, progress, cancellationToken).ConfigureAwait(false))
        {
            yield return result;
        }
    }

    /// <summary>Cancels running and queued calls, waits for the running one to stop, and releases the models.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref this.disposed, 1) != 0)
        {
            return;
        }

        disposing.Cancel();
        gate.Wait();
        try
        {
            ReleasePipeline();
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Cancels running and queued calls, waits for the running one to stop, and releases the models.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref this.disposed, 1) != 0)
        {
            return;
        }

        await disposing.CancelAsync().ConfigureAwait(false);
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            ReleasePipeline();
        }
        finally
        {
            gate.Release();
        }
    }

    private bool IsDisposed => Volatile.Read(ref this.disposed) != 0;

    private static List<string> ListImages(string folder)
    {
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"Input folder not found: '{full}'.");
        }

        return Directory.EnumerateFiles(full)
            .Where(f => ImageCodec.SupportedExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private UpscaleSettings ResolveSettings(UpscaleSettings? settings)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        var s = settings ?? defaultSettings;
        s.Validate();
        if (s.Scale != 4 && Interlocked.Exchange(ref scaleWarned, 1) == 0)
        {
            TsdSrUpscalerLog.UntrainedScale(this.logger, s.Scale);
        }

        return s;
    }

    private void RequireWritable(string folder)
    {
        if (Writability.FolderProblem(folder) is { } problem)
        {
            throw new IOException($"Cannot write the output: {problem}");
        }
    }

    /// <summary>Checks one input/output pair from paths and the header; nothing is decoded.</summary>
    private UpscaleJob PlanJob(string input, string output, UpscaleSettings settings, Dictionary<string, string>? claimed, IReadOnlyList<string>? folderInputs)
    {
        var conflict = claimed is not null && claimed.TryGetValue(output, out var first)
            ? $"'{Path.GetFileName(input)}' would write '{output}', already planned for '{Path.GetFileName(first)}'; rename one of them."
            : OutputPaths.Conflict(input, output, this.options.OverwriteOutputs);
        if (conflict is null && folderInputs is not null && folderInputs.Contains(output, OutputPaths.Comparer))
        {
            conflict = $"the output '{output}' is an input image of this folder; choose another output folder.";
        }

        if (conflict is not null)
        {
            return new UpscaleJob(input, output, 0, 0, new IOException(conflict), OutputRefused: true);
        }

        claimed?.Add(output, input);
        int width = 0, height = 0;
        try
        {
            (width, height) = ImageCodec.Identify(input, loadOptions);
            settings.PlanSize(width, height);
            return new UpscaleJob(input, output, width, height);
        }
        catch (Exception e) when (e is ImageFormatException or ImageTooLargeException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            return new UpscaleJob(input, output, width, height, e);
        }
    }

    private async Task<UpscaleResult> ProcessFileAsync(UpscaleJob job, UpscaleSettings settings, IProgress<TsdSrProgress>? progress, bool catchErrors, CancellationToken cancellationToken)
    {
        var sw = Stopwatch.StartNew();
        var (input, output) = (job.InputPath, job.OutputPath);
        var name = Path.GetFileName(input);
        int width = 0, height = 0;
        try
        {
            var image = await Task.Run(() => ImageCodec.Load(input, loadOptions), cancellationToken).ConfigureAwait(false);
            (width, height) = (image.Width, image.Height);
            // Transparency that the output format cannot hold is found before the work, not after it.
            if (ImageCodec.SaveProblem(output, image.Alpha is not null) is { } problem)
            {
                throw new ArgumentException($"Cannot write '{output}': {problem}");
            }

            var result = await UpscaleCoreAsync(image, settings, name, progress, cancellationToken).ConfigureAwait(false);
            await Task.Run(() => ImageCodec.Save(result, output, saveOptions), cancellationToken).ConfigureAwait(false);
            return new UpscaleResult(input, output, width, height, result.Width, result.Height, sw.Elapsed);
        }
        catch (Exception e) when (catchErrors && e is not OperationCanceledException && !IsDisposed)
        {
            TsdSrUpscalerLog.ImageFailed(this.logger, e, name);
            return new UpscaleResult(input, null, width, height, 0, 0, sw.Elapsed, e);
        }
    }

    private Task<RgbImage> UpscaleCoreAsync(RgbImage image, UpscaleSettings settings, string? name, IProgress<TsdSrProgress>? progress, CancellationToken cancellationToken)
    {
        // Refused here, before queueing for the device, whatever pipeline runs it.
        settings.PlanSize(image.Width, image.Height);
        var forward = new StageProgress(progress, this.logger, name);
        return RunExclusiveAsync(
            (pipeline, token) =>
            {
                var sw = Stopwatch.StartNew();
                var output = pipeline.Upscale(image, settings, forward, token);
                TsdSrUpscalerLog.Upscaled(this.logger, name ?? "image", image.Width, image.Height, output.Width, output.Height, sw.ElapsedMilliseconds);
                return output;
            },
            forward,
            cancellationToken);
    }

    /// <summary>Waits for the device, loads the models if needed, then runs <paramref name="work"/> on a dedicated worker thread.</summary>
    private async Task<T> RunExclusiveAsync<T>(Func<ITsdSrPipeline, CancellationToken, T>? work, IProgress<TsdSrProgress>? loadProgress, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, disposing.Token);
        var token = linked.Token;
        try
        {
            await gate.WaitAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (IsDisposed && !cancellationToken.IsCancellationRequested)
        {
            throw new ObjectDisposedException(nameof(TsdSrUpscaler), "The upscaler was disposed while this call waited for the device.");
        }

        try
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            if (work is null && this.pipeline is not null)
            {
                return default!;
            }

            return await Task.Factory.StartNew(
                () =>
                {
                    var pipeline = this.pipeline ?? Load(loadProgress, token);
                    if (work is null)
                    {
                        return default!;
                    }

                    token.ThrowIfCancellationRequested();
                    return work(pipeline, token);
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (IsDisposed && !cancellationToken.IsCancellationRequested)
        {
            throw new ObjectDisposedException(nameof(TsdSrUpscaler), "The upscaler was disposed during this call.");
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Runs on the worker thread, inside the gate.</summary>
    private ITsdSrPipeline Load(IProgress<TsdSrProgress>? progress, CancellationToken token)
    {
        var o = this.options;
        var paths = o.ToModelPaths();
        TsdSrUpscalerLog.Loading(this.logger, paths.ModelDirectory, paths.LoraDirectory, o.Device, Name(o.TransformerDtype ?? o.Dtype), Name(o.VaeDtype ?? o.Dtype), o.MergeLora);
        var sw = Stopwatch.StartNew();
        var pipeline = this.factory.Create(o, progress, token)
            ?? throw new InvalidOperationException($"{this.factory.GetType().Name}.Create returned null.");
        bool cuda = pipeline.Device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase);
        TsdSrUpscalerLog.Loaded(this.logger, pipeline.Device, Name(o.ResolveTransformerDtype(cuda)), Name(o.ResolveVaeDtype(cuda)), sw.ElapsedMilliseconds);
        Volatile.Write(ref this.pipeline, pipeline);
        return pipeline;
    }

    private void ReleasePipeline()
    {
        var pipeline = Interlocked.Exchange(ref this.pipeline, null);
        if (pipeline is not null)
        {
            pipeline.Dispose();
            TsdSrUpscalerLog.Released(this.logger);
        }
    }

    private static string Name(TsdSrDtype dtype) => dtype.ToString().ToLowerInvariant();
}
