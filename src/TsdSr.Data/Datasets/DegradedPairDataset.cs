using System.Runtime.CompilerServices;
using TorchSharp;
using TsdSr.Core.Embeddings;
using TsdSr.Data.Degradation;
using TsdSr.Data.Random;
using TsdSr.Imaging;

namespace TsdSr.Data.Datasets;

/// <summary>
/// HR folder → random crops and flips → on-the-fly degradation → batches. The sequence of batches is a pure function
/// of the folder contents, the options and the degradation configuration, and a stream can be resumed from any batch's
/// <see cref="PairBatch.NextPosition"/>. The next batch is prepared on a worker thread while the consumer uses the
/// current one.
/// </summary>
public sealed class DegradedPairDataset
{
    private const ulong OrderStream = 0x0D;
    private const ulong CropStream = 0xC0;
    private const ulong DegradeStream = 0xDE;
    private readonly Dictionary<string, RgbImage> decoded = new(StringComparer.Ordinal);
    private long decodedBytes;

    /// <summary>Creates the dataset.</summary>
    public DegradedPairDataset(HrImageFolder images, RealEsrganDegradation degradation, PairDatasetOptions options)
    {
        Images = images ?? throw new ArgumentNullException(nameof(images));
        Degradation = degradation ?? throw new ArgumentNullException(nameof(degradation));
        Options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BatchSize);
        options.Crop.Validate(degradation.Config.Scale);
        if (options.Epochs is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Epochs must be at least 1 (or null for endless).");
        }
    }

    /// <summary>The HR images.</summary>
    public HrImageFolder Images { get; }

    /// <summary>The degradation pipeline.</summary>
    public RealEsrganDegradation Degradation { get; }

    /// <summary>The options.</summary>
    public PairDatasetOptions Options { get; }

    /// <summary>Images skipped so far because they were smaller than the crop or flat everywhere tried.</summary>
    public int SkippedImages { get; private set; }

    /// <summary>
    /// Batches until <see cref="PairDatasetOptions.Epochs"/> passes are done (the last batch may be smaller) or
    /// <paramref name="cancellationToken"/> fires. Each batch belongs to the consumer, who disposes it.
    /// </summary>
    public IAsyncEnumerable<PairBatch> GetBatchesAsync(CancellationToken cancellationToken = default) =>
        GetBatchesAsync(DatasetPosition.Start, cancellationToken);

    /// <summary>
    /// Batches from <paramref name="start"/> on: the stream continues exactly as the one whose batch reported
    /// <paramref name="start"/> as its <see cref="PairBatch.NextPosition"/> (every draw is counter-based, see
    /// <see cref="DatasetPosition"/>). Otherwise as <see cref="GetBatchesAsync(CancellationToken)"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="start"/> does not fit the image count.</exception>
    public IAsyncEnumerable<PairBatch> GetBatchesAsync(DatasetPosition start, CancellationToken cancellationToken = default)
    {
        start.Validate(Images.Files.Count);
        return Stream(start, cancellationToken);
    }

    private async IAsyncEnumerable<PairBatch> Stream(DatasetPosition start, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cursor = new Cursor { Epoch = start.Epoch, Position = start.Position, Sample = start.Sample };
        Task<PairBatch?>? next = Task.Run(() => Produce(cursor, cancellationToken), cancellationToken);
        try
        {
            while (true)
            {
                var batch = await next.ConfigureAwait(false);
                next = null;
                if (batch is null)
                {
                    yield break;
                }

                next = Task.Run(() => Produce(cursor, cancellationToken), cancellationToken);
                yield return batch;
            }
        }
        finally
        {
            if (next is not null)
            {
                try
                {
                    (await next.ConfigureAwait(false))?.Dispose();
                }
                catch (OperationCanceledException)
                {
                    // The prefetch was cancelled with the enumeration; nothing to release.
                }
            }
        }
    }

    private PairBatch? Produce(Cursor cursor, CancellationToken cancellationToken)
    {
        var crops = new List<torch.Tensor>();
        var files = new List<string>();
        long firstIndex = cursor.Sample;
        int emptyRun = 0;
        try
        {
            while (crops.Count < Options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (cursor.Position >= Images.Files.Count)
                {
                    if (Options.Epochs is int epochs && cursor.Epoch + 1 >= epochs)
                    {
                        break;
                    }

                    cursor.Epoch++;
                    cursor.Order = null;
                    cursor.Position = 0;
                }

                // Recomputed from the epoch alone, so a stream started mid-epoch sees the same order.
                cursor.Order ??= EpochOrder(cursor.Epoch);

                var file = Images.Files[cursor.Order[cursor.Position++]];
                var crop = LoadCrop(file, cursor.Sample);
                if (crop is null)
                {
                    SkippedImages++;
                    if (++emptyRun >= Images.Files.Count)
                    {
                        throw new InvalidOperationException($"No image under '{Images.Root}' gives a usable {Options.Crop.Size}px crop (all smaller or flat).");
                    }

                    continue;
                }

                emptyRun = 0;
                crops.Add(crop);
                files.Add(file);
                cursor.Sample++;
            }

            if (crops.Count == 0)
            {
                return null;
            }

            var prompts = files.Select(LoadPrompt).ToArray();
            if (!Options.Degrade)
            {
                // HR-only batches: the LR fields alias the HR crop (separate handles, so the batch disposes each once).
                var hrOnly = torch.cat(crops.ToArray(), 0);
                return new PairBatch(hrOnly.alias(), hrOnly.alias(), hrOnly, prompts, files.ToArray(), firstIndex)
                {
                    NextPosition = new DatasetPosition(cursor.Epoch, cursor.Position, cursor.Sample),
                };
            }

            using var hr = torch.cat(crops.ToArray(), 0);

            // The batch takes over the degraded tensors, so the DegradedBatch is not disposed here.
            var degraded = Degradation.Degrade(hr, CounterRng.DeriveKey(Options.Seed, DegradeStream), firstIndex);
            return new PairBatch(degraded.Lr, degraded.LrUpsampled, degraded.Hr, prompts, files.ToArray(), firstIndex)
            {
                NextPosition = new DatasetPosition(cursor.Epoch, cursor.Position, cursor.Sample),
            };
        }
        finally
        {
            crops.ForEach(c => c.Dispose());
        }
    }

    private torch.Tensor? LoadCrop(string file, long sampleIndex)
    {
        var image = Decode(file);
        using var t = ImageTensors.ToTensor(image);
        var rng = new CounterRng(CounterRng.DeriveKey(Options.Seed, CropStream), (ulong)sampleIndex);
        return RandomCrop.Sample(t, Options.Crop, rng);
    }

    private RgbImage Decode(string file)
    {
        lock (decoded)
        {
            if (decoded.TryGetValue(file, out var cached))
            {
                return cached;
            }
        }

        var image = ImageCodec.Load(file, Options.LoadOptions);
        long bytes = (long)image.Width * image.Height * 3;
        lock (decoded)
        {
            if (decodedBytes + bytes <= Options.DecodedImageCacheBytes)
            {
                decoded[file] = image;
                decodedBytes += bytes;
            }
        }

        return image;
    }

    private PromptEmbeddings? LoadPrompt(string file)
    {
        if (Options.PromptEmbeddingsDirectory is null)
        {
            return null;
        }

        var path = Path.Combine(Options.PromptEmbeddingsDirectory, Images.RelativeStem(file) + ".safetensors");
        return File.Exists(path) ? PromptEmbeddingsLoader.LoadSample(path) : null;
    }

    private int[] EpochOrder(int epoch)
    {
        var order = Enumerable.Range(0, Images.Files.Count).ToArray();
        if (Options.Shuffle)
        {
            var rng = new CounterRng(CounterRng.DeriveKey(Options.Seed, OrderStream), (ulong)epoch);
            for (int i = order.Length - 1; i > 0; i--)
            {
                int j = rng.NextInt(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
        }

        return order;
    }

    private sealed class Cursor
    {
        public int Epoch { get; set; }

        public int[]? Order { get; set; }

        public int Position { get; set; }

        public long Sample { get; set; }
    }
}
