using TsdSr.Imaging;
using TsdSr.Inference;

namespace TsdSr.Tests.Inference.Hosting;

/// <summary>
/// A stand-in pipeline: nearest-neighbour ×scale, two Transformer progress reports, and hooks to block mid-run, to count
/// entries and to observe overlap. Blocking waits on the cancellation token, as the real pipeline checks it between tiles.
/// </summary>
internal sealed class FakeTsdSrPipeline : ITsdSrPipeline
{
    private int active;

    public string Device => "cpu";

    public int Calls;

    public int MaxConcurrent;

    public bool Disposed { get; private set; }

    /// <summary>Set when a call is inside Upscale.</summary>
    public ManualResetEventSlim Entered { get; } = new(false);

    /// <summary>Released once by every call that enters Upscale, so a test can wait for (or rule out) the n-th entry.</summary>
    public SemaphoreSlim Entries { get; } = new(0);

    /// <summary>When not null, Upscale waits for it (or for cancellation) after entering.</summary>
    public ManualResetEventSlim? Hold { get; set; }

    /// <summary>Calls up to this number (1-based) pass <see cref="Hold"/> without waiting. Default 0: every call waits.</summary>
    public int HoldFromCall { get; set; }

    /// <summary>Inputs of this width make Upscale throw.</summary>
    public int FailOnWidth { get; set; } = -1;

    public RgbImage Upscale(RgbImage input, UpscaleSettings settings, IProgress<TsdSrProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        int now = Interlocked.Increment(ref active);
        InterlockedMax(ref MaxConcurrent, now);
        int call = Interlocked.Increment(ref Calls);
        try
        {
            Entered.Set();
            Entries.Release();
            if (Hold is not null && call > HoldFromCall)
            {
                WaitHandle.WaitAny([Hold.WaitHandle, cancellationToken.WaitHandle]);
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (input.Width == FailOnWidth)
            {
                throw new InvalidOperationException($"fake failure for width {input.Width}");
            }

            progress?.Report(new TsdSrProgress(TsdSrStage.Transformer, 1, 2, TimeSpan.Zero));
            progress?.Report(new TsdSrProgress(TsdSrStage.Transformer, 2, 2, TimeSpan.Zero));
            return Nearest(input, settings.Scale);
        }
        finally
        {
            Interlocked.Decrement(ref active);
        }
    }

    public void Dispose() => Disposed = true;

    private static RgbImage Nearest(RgbImage input, int scale)
    {
        int w = input.Width * scale, h = input.Height * scale;
        var pixels = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                int src = (((y / scale) * input.Width) + (x / scale)) * 3;
                Array.Copy(input.Pixels, src, pixels, ((y * w) + x) * 3, 3);
            }
        }

        return new RgbImage(w, h, pixels);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
