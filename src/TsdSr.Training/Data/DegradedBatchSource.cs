using System.Globalization;
using TsdSr.Data.Datasets;
using TsdSr.Data.Degradation.Operators;
using static TorchSharp.torch;

namespace TsdSr.Training.Data;

/// <summary>
/// Training batches made online from HR folders: <see cref="DegradedPairDataset"/> (crops, flips, the Real-ESRGAN
/// degradation; the next batch is prepared on a worker thread) turned into the <see cref="TrainingBatch"/> a pair
/// folder gives. <c>gt</c> is the dataset's HR (USM-sharpened when the degradation says so) rounded to 8 bits and
/// <c>lr_bicubic</c> its 8-bit bicubic-upsampled LR, i.e. exactly what <c>tsdsr degrade</c> would write and
/// <see cref="PairBatchLoader"/> would read back; there are no latents or per-image embeddings (the step encodes the HR
/// and uses the default prompt). <see cref="State"/> is the <see cref="DatasetPosition"/> after the last batch handed
/// out; every random draw of the dataset is counter-based on it, so it is the whole state of the stream.
/// </summary>
public sealed class DegradedBatchSource : ITrainingBatchSource, IDisposable
{
    private CancellationTokenSource stop = new();
    private IAsyncEnumerator<PairBatch>? stream;
    private bool disposed;

    /// <summary>Creates the source; the first batch starts at <see cref="DatasetPosition.Start"/>.</summary>
    /// <exception cref="ArgumentException">The dataset stops after a number of epochs (training needs an endless stream).</exception>
    public DegradedBatchSource(DegradedPairDataset dataset)
    {
        Dataset = dataset ?? throw new ArgumentNullException(nameof(dataset));
        if (dataset.Options.Epochs is not null)
        {
            throw new ArgumentException("The dataset of a training source must be endless (PairDatasetOptions.Epochs = null).", nameof(dataset));
        }
    }

    /// <summary>The dataset.</summary>
    public DegradedPairDataset Dataset { get; }

    /// <summary>The dataset position after the last batch handed out.</summary>
    public DatasetPosition Position { get; private set; }

    /// <summary>"epoch:position:sample" (see <see cref="DatasetPosition"/>); setting it restarts the stream there.</summary>
    /// <exception cref="ArgumentException">Not a dataset position, or one that does not fit the image count.</exception>
    public string State
    {
        get => Position.ToString();
        set
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var position = DatasetPosition.Parse(value);
            position.Validate(Dataset.Images.Files.Count);
            StopStream();
            Position = position;
        }
    }

    /// <summary>The next batch (the caller owns it).</summary>
    /// <exception cref="InvalidOperationException">No image gives a usable crop.</exception>
    public TrainingBatch Next()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        stream ??= Dataset.GetBatchesAsync(Position, stop.Token).GetAsyncEnumerator(stop.Token);

        // The training loop is synchronous and runs off any synchronisation context: blocking here is safe.
        if (!stream.MoveNextAsync().AsTask().GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("The online dataset ended although it is endless.");
        }

        using var batch = stream.Current;
        Position = batch.NextPosition;
        return ToTrainingBatch(batch);
    }

    /// <summary>
    /// The training batch of a dataset batch: gt = HR rounded to 8 bits, lr_bicubic = the (8-bit) upsampled LR, ids
    /// "file#sample". New tensors; <paramref name="batch"/> stays the caller's.
    /// </summary>
    public static TrainingBatch ToTrainingBatch(PairBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        var gt = Quantizer.To8Bit(batch.Hr);
        var lr = Quantizer.To8Bit(batch.LrUpsampled);
        var ids = batch.SourceFiles.Select((f, i) => string.Create(CultureInfo.InvariantCulture, $"{f}#{batch.FirstIndex + i}")).ToList();
        return new TrainingBatch(gt.MoveToOuterDisposeScope(), lr.MoveToOuterDisposeScope(), null, null, null, ids);
    }

    /// <summary>Stops the worker and releases the prepared batch.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        StopStream();
        stop.Dispose();
    }

    private void StopStream()
    {
        if (stream is null)
        {
            return;
        }

        // Cancelling first lets a batch in preparation stop early; disposing waits for it and releases it.
        stop.Cancel();
        try
        {
            stream.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or ArgumentException)
        {
            // The failure of a batch nobody will consume (an unreadable image, no usable crop): Next would have reported it.
        }

        stream = null;
        stop.Dispose();
        stop = new CancellationTokenSource();
    }
}
