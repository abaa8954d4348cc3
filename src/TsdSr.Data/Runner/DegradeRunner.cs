using System.Diagnostics;
using TorchSharp;
using TsdSr.Data.Datasets;
using TsdSr.Data.Degradation;
using TsdSr.Data.PairFolders;
using TsdSr.Core.Files;
using TsdSr.Data.Random;
using TsdSr.Imaging;

namespace TsdSr.Data.Runner;

/// <summary>
/// Writes an offline pair folder from an HR folder: for each image (sorted), <see cref="DegradeOptions.PerImage"/>
/// random crops, each degraded on its own with sample index = pair number, so the output depends only on the inputs,
/// the preset and the seed.
/// </summary>
public static class DegradeRunner
{
    private const ulong CropStream = 0xC0;
    private const ulong DegradeStream = 0xDE;

    /// <summary>
    /// Runs on a worker thread; reports after each image; stops between pairs when cancelled (a pair whose files were all
    /// written is complete; a resume redoes any other). One bad HR file never ends the run: it is skipped with its reason, as are images too small or too
    /// flat for a crop. The output folder is claimed for the run (<see cref="OutputFolderLock"/>).
    /// </summary>
    /// <exception cref="ArgumentException">Invalid options, or both <see cref="DegradeOptions.Overwrite"/> and <see cref="DegradeOptions.Resume"/>.</exception>
    /// <exception cref="DirectoryNotFoundException">The input folder does not exist.</exception>
    /// <exception cref="IOException">The output folder cannot be written.</exception>
    /// <exception cref="OutputFolderLockedException">Another run writes to the output folder.</exception>
    /// <exception cref="PairFolderException">
    /// The output folder already holds pairs and neither overwriting nor resuming was asked for, or it was made with other
    /// options than a resume asks for.
    /// </exception>
    public static Task<DegradeSummary> RunAsync(DegradeOptions options, IProgress<DegradeProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.PerImage);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.PreviewPairs);
        if (options.Overwrite && options.Resume)
        {
            throw new ArgumentException("Overwrite and Resume exclude each other: start again, or continue.", nameof(options));
        }

        var config = (options.Config ?? throw new ArgumentException("Config is required.", nameof(options))) with { Scale = options.Scale };
        config.Validate();
        var crop = new CropOptions { Size = options.CropSize }.Validate(config.Scale);
        var folder = HrImageFolder.Scan(options.Input);
        if (Writability.FolderProblem(options.Output) is { } problem)
        {
            throw new IOException($"Cannot write the pairs: {problem}");
        }

        return Task.Factory.StartNew(
            () => Run(options, config, crop, folder, progress, cancellationToken),
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    private static DegradeSummary Run(DegradeOptions options, DegradationConfig config, CropOptions crop, HrImageFolder folder, IProgress<DegradeProgress>? progress, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        using var claim = OutputFolderLock.Acquire(options.Output, "tsdsr degrade");
        var root = claim.Folder;
        var manifest = DegradeManifest.From(options, config, folder.Files);
        bool resume = Prepare(root, manifest, options);
        manifest.Write(root);
        var writer = new PairFolderWriter(root, overwrite: true);
        var degradation = new RealEsrganDegradation(config);
        var cropKey = CounterRng.DeriveKey(options.Seed, CropStream);
        var degradeSeed = CounterRng.DeriveKey(options.Seed, DegradeStream);
        var preview = new List<(torch.Tensor Hr, torch.Tensor Lr)>();
        var skipped = new List<DegradeSkip>();
        long pair = 0, kept = 0;
        int used = 0;
        try
        {
            for (int i = 0; i < folder.Files.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var file = folder.Files[i];
                RgbImage decoded;
                try
                {
                    decoded = ImageCodec.Load(file);
                }
                catch (Exception e) when (e is ImageFormatException or IOException or UnauthorizedAccessException)
                {
                    var skip = new DegradeSkip(file, e.Message, Failed: true);
                    skipped.Add(skip);
                    progress?.Report(new DegradeProgress(i + 1, folder.Files.Count, pair, file) { Skip = skip });
                    continue;
                }

                using var image = ImageTensors.ToTensor(decoded);
                int made = 0;
                for (int n = 0; n < options.PerImage; n++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    // The crop is drawn even for a pair that is kept, so that every later pair draws the same numbers.
                    using var hr = RandomCrop.Sample(image, crop, new CounterRng(cropKey, (ulong)pair));
                    if (hr is null)
                    {
                        break;
                    }

                    if (resume && writer.IsComplete(pair, options.WriteLr))
                    {
                        kept++;
                        AddPreview(preview, options, () => writer.ReadBack(pair));
                    }
                    else
                    {
                        using var result = degradation.Degrade(hr, degradeSeed, pair);
                        writer.Write(pair, result.Hr, result.LrUpsampled, options.WriteLr ? result.Lr : null);
                        AddPreview(preview, options, () => (result.Hr.clone(), result.Lr.clone()));
                    }

                    pair++;
                    made++;
                }

                DegradeSkip? none = null;
                if (made > 0)
                {
                    used++;
                }
                else
                {
                    none = new DegradeSkip(file, decoded.Width < crop.Size || decoded.Height < crop.Size
                        ? $"{decoded.Width}x{decoded.Height} is smaller than the {crop.Size}x{crop.Size} crop."
                        : $"every crop was flat (standard deviation below {crop.MinStdDev}).", Failed: false);
                    skipped.Add(none);
                }

                progress?.Report(new DegradeProgress(i + 1, folder.Files.Count, pair, file) { Skip = none });
            }

            string? previewPath = null;
            if (options.Preview && preview.Count > 0)
            {
                previewPath = Path.Combine(writer.Root, "preview.png");
                ImageCodec.SavePng(ContactSheet.Build(preview, options.PreviewTileSize), previewPath);
            }

            return new DegradeSummary(pair, used, skipped.Count, watch.Elapsed, previewPath) { Skipped = skipped, PairsKept = kept };
        }
        finally
        {
            foreach (var (h, l) in preview)
            {
                h.Dispose();
                l.Dispose();
            }
        }
    }

    /// <summary>
    /// Decides what to do with pairs already in <paramref name="root"/>: none, start again (their files removed), or
    /// resume (the folder's manifest must match). Returns true when resuming.
    /// </summary>
    private static bool Prepare(string root, DegradeManifest manifest, DegradeOptions options)
    {
        var gt = Path.Combine(root, PairFolderLayout.Gt);
        int existing = Directory.Exists(gt) ? Directory.EnumerateFiles(gt).Count() : 0;
        if (existing == 0)
        {
            return false;
        }

        if (options.Overwrite)
        {
            PairFolderWriter.RemovePairs(root);
            File.Delete(Path.Combine(root, DegradeManifest.FileName));
            File.Delete(Path.Combine(root, "preview.png"));
            return false;
        }

        if (!options.Resume)
        {
            throw new PairFolderException(root, $"'{PairFolderLayout.Gt}/' already holds {existing} file(s). Resume the run that made them, start again with overwriting, or choose an empty output folder.");
        }

        var previous = DegradeManifest.Read(root)
            ?? throw new PairFolderException(root, $"it holds pairs but no '{DegradeManifest.FileName}', so how they were made is unknown and a resume could mix two datasets; start again with overwriting.");
        var differences = previous.Differences(manifest);
        if (differences.Count > 0)
        {
            throw new PairFolderException(root, $"it was made with other settings than this run: {string.Join("; ", differences)}. Resume with the same options, or start again with overwriting.");
        }

        return true;
    }

    private static void AddPreview(List<(torch.Tensor Hr, torch.Tensor Lr)> preview, DegradeOptions options, Func<(torch.Tensor Hr, torch.Tensor Lr)> pair)
    {
        if (options.Preview && preview.Count < options.PreviewPairs)
        {
            preview.Add(pair());
        }
    }
}
