using System.Globalization;
using TsdSr.Data.PairFolders;
using static TorchSharp.torch;

namespace TsdSr.Training.Data;

/// <summary>
/// Batches from one or more offline pair folders (read by <see cref="PairFolder"/>, which validates the layout and
/// the integer names). Each epoch visits every pair once, in a permutation drawn from <c>seed + epoch</c>, so the
/// position (<see cref="State"/>) alone restores the stream after a resume. The last batch of an epoch may be smaller.
/// </summary>
public sealed class PairBatchLoader : ITrainingBatchSource
{
    private readonly IReadOnlyList<PairFolder> folders;
    private readonly (int Folder, long Number)[] items;
    private long[] order = [];
    private long orderEpoch = -1;

    /// <summary>Creates the loader.</summary>
    /// <exception cref="ArgumentException">No folder, or batch size below 1.</exception>
    public PairBatchLoader(IReadOnlyList<PairFolder> folders, int batchSize, ulong seed, bool shuffle = true)
    {
        ArgumentNullException.ThrowIfNull(folders);
        if (folders.Count == 0)
        {
            throw new ArgumentException("At least one pair folder is needed.", nameof(folders));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        this.folders = folders;
        items = folders.SelectMany((f, i) => f.Indices.Select(n => (i, n))).ToArray();
        BatchSize = batchSize;
        Seed = seed;
        Shuffle = shuffle;
    }

    /// <summary>Opens the folders (see <see cref="PairFolder.Open"/>) and creates the loader.</summary>
    /// <exception cref="PairFolderException">A folder is missing, incomplete or inconsistent.</exception>
    public static PairBatchLoader Open(IEnumerable<string> roots, int batchSize, ulong seed, bool shuffle = true) =>
        new(roots.Select(PairFolder.Open).ToList(), batchSize, seed, shuffle);

    /// <summary>Samples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Shuffle seed.</summary>
    public ulong Seed { get; }

    /// <summary>Whether epochs are shuffled.</summary>
    public bool Shuffle { get; }

    /// <summary>Total number of pairs.</summary>
    public int Count => items.Length;

    /// <summary>Current epoch (0-based).</summary>
    public long Epoch { get; private set; }

    /// <summary>Pairs already served in the current epoch.</summary>
    public long Position { get; private set; }

    /// <summary>The position as text ("epoch:position") for checkpoints.</summary>
    public string State
    {
        get => string.Create(CultureInfo.InvariantCulture, $"{Epoch}:{Position}");
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            var parts = value.Split(':');
            if (parts.Length != 2
                || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long e)
                || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long p)
                || p > items.Length)
            {
                throw new ArgumentException($"'{value}' is not a loader position 'epoch:position' with position ≤ {items.Length}.", nameof(value));
            }

            Epoch = e;
            Position = p;
        }
    }

    /// <summary>The next batch (starting a new epoch when the current one is exhausted).</summary>
    public TrainingBatch Next()
    {
        if (Position >= items.Length)
        {
            Epoch++;
            Position = 0;
        }

        var perm = Order();
        int n = (int)Math.Min(BatchSize, items.Length - Position);
        var picked = Enumerable.Range(0, n).Select(i => items[perm[Position + i]]).ToList();
        Position += n;
        return Load(picked);
    }

    private long[] Order()
    {
        if (orderEpoch == Epoch)
        {
            return order;
        }

        if (Shuffle)
        {
            using var g = new Generator(unchecked(Seed + (ulong)Epoch), CPU);
            using var p = randperm(items.Length, generator: g);
            order = p.data<long>().ToArray();
        }
        else
        {
            order = Enumerable.Range(0, items.Length).Select(i => (long)i).ToArray();
        }

        orderEpoch = Epoch;
        return order;
    }

    private TrainingBatch Load(List<(int Folder, long Number)> picked)
    {
        var records = new List<PairRecord>();
        try
        {
            foreach (var (f, number) in picked)
            {
                records.Add(folders[f].Read(number));
            }

            var first = records[0];
            var mismatch = records.FirstOrDefault(r => !r.Gt.shape.SequenceEqual(first.Gt.shape));
            if (mismatch is not null)
            {
                throw new InvalidDataException(
                    $"Pairs of one batch must have the same size: #{first.Index} is [{string.Join(", ", first.Gt.shape)}], #{mismatch.Index} is [{string.Join(", ", mismatch.Gt.shape)}] (crop the data offline, as the reference).");
            }

            using var scope = NewDisposeScope();
            var gt = cat(records.Select(r => r.Gt).ToList(), 0);
            var lr = cat(records.Select(r => r.LrBicubic).ToList(), 0);
            var latent = Stack(records.Select(r => r.LatentHr).ToList(), 3, "latent_hr");
            var prompt = Stack(records.Select(r => r.PromptEmbeds).ToList(), 2, "prompt_embeds");
            var pool = Stack(records.Select(r => r.PoolEmbeds).ToList(), 1, "pool_embeds");
            var ids = picked.Select(p => $"{folders[p.Folder].Root}#{p.Number.ToString(CultureInfo.InvariantCulture)}").ToList();
            return new TrainingBatch(
                gt.MoveToOuterDisposeScope(), lr.MoveToOuterDisposeScope(), latent?.MoveToOuterDisposeScope(),
                prompt?.MoveToOuterDisposeScope(), pool?.MoveToOuterDisposeScope(), ids);
        }
        finally
        {
            records.ForEach(r => r.Dispose());
        }
    }

    // Stored tensors may carry a leading batch dimension of 1 ([1, 333, 4096]); drop it, then stack per sample.
    private static Tensor? Stack(List<Tensor?> parts, int rank, string what)
    {
        if (parts.Any(p => p is null))
        {
            return null;
        }

        var squeezed = parts.Select(p =>
        {
            var t = p!;
            while (t.dim() > rank && t.shape[0] == 1)
            {
                t = t.squeeze(0);
            }

            return t.dim() == rank
                ? t
                : throw new InvalidDataException($"'{what}' tensors must have {rank} dimensions (optionally with a leading 1), got [{string.Join(", ", p!.shape)}].");
        }).ToList();
        var shape = squeezed[0].shape;
        if (squeezed.Any(t => !t.shape.SequenceEqual(shape)))
        {
            throw new InvalidDataException($"'{what}' tensors of one batch have different shapes.");
        }

        return stack(squeezed, 0);
    }
}
