using TsdSr.Inference;

namespace TsdSr.Tests.Inference.Hosting;

/// <summary>Collects reports synchronously (Progress&lt;T&gt; would post them later to the thread pool).</summary>
internal sealed class SyncProgress : IProgress<TsdSrProgress>
{
    private readonly List<TsdSrProgress> items = [];

    public IReadOnlyList<TsdSrProgress> Items
    {
        get
        {
            lock (items)
            {
                return items.ToList();
            }
        }
    }

    public void Report(TsdSrProgress value)
    {
        lock (items)
        {
            items.Add(value);
        }
    }
}
