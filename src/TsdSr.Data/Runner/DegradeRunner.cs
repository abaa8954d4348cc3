using System.Diagnostics;
using TorchSharp;
using TsdSr.Data.Datasets;
using TsdSr.Data.Degradation;
using TsdSr.Data.PairFolders;
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

    /// <summary>Runs on a worker thread; reports after each image; stops between images when cancelled.</summary>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    /// <exception cref="DirectoryNotFoundException">The input folder does not exist.</exception>
    /// <exception cref="PairFolderException">The output folder already holds pairs and overwriting was not allowed.</exception>
    public static Task<DegradeSummary> RunAsync(DegradeOptions options, IProgress<DegradeProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.PerImage);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.PreviewPairs);
        var config = (options.Config ?? throw new ArgumentException("Config is required.", nameof(options))) with { Scale = options.Scale };
        config.Validate();
        var crop = new CropOptions { Size = options.CropSize }.Validate(config.Scale);
        var folder = HrImageFolder.Scan(options.Input);
        return Task.Factory.StartNew(
            () => Run(options, config, crop, folder, progress, cancellationToken),
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    private static DegradeSummary Run(DegradeOptions options, DegradationConfig config, CropOptions crop, HrImageFolder folder, IProgress<DegradeProgress>? progress, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var writer = new PairFolderWriter(options.Output, options.Overwrite);
        var degradation = new RealEsrganDegradation(config);
        var cropKey = CounterRng.DeriveKey(options.Seed, CropStream);
        var degradeSeed = CounterRng.DeriveKey(options.Seed, DegradeStream);
        var preview = new List<(torch.Tensor Hr, torch.Tensor Lr)>();
        long pair = 0;
        int used = 0, skipped = 0;
        try
        {
            for (int i = 0; i < folder.Files.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var file = folder.Files[i];
                using var image = ImageTensors.ToTensor(ImageCodec.Load(file));
                int made = 0;
                for (int n = 0; n < options.PerImage; n++)
                {
                    using var hr = RandomCrop.Sample(image, crop, new CounterRng(cropKey, (ulong)pair));
                    if (hr is null)
                    {
                        break;
                    }

                    using var result = degradation.Degrade(hr, degradeSeed, pair);
                    writer.Write(pair, result.Hr, result.LrUpsampled, options.WriteLr ? result.Lr : null);
                    if (options.Preview && preview.Count < options.PreviewPairs)
                    {
                        preview.Add((result.Hr.clone(), result.Lr.clone()));
                    }

                    pair++;
                    made++;
                }

                if (made > 0)
                {
                    used++;
                }
                else
                {
                    skipped++;
                }

                progress?.Report(new DegradeProgress(i + 1, folder.Files.Count, pair, file));
            }

            string? previewPath = null;
            if (options.Preview && preview.Count > 0)
            {
                previewPath = Path.Combine(writer.Root, "preview.png");
                ImageCodec.SavePng(ContactSheet.Build(preview, options.PreviewTileSize), previewPath);
            }

            return new DegradeSummary(pair, used, skipped, watch.Elapsed, previewPath);
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
}
