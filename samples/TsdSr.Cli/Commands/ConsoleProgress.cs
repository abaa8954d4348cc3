using TsdSr.Inference;

namespace TsdSr.Cli.Commands;

/// <summary>
/// A one-line live progress display (stage, tile i/N, elapsed) redrawn with a carriage return on an interactive
/// console; silent when the output is redirected, so logs stay clean. Reports arrive on the worker thread.
/// </summary>
internal sealed class ConsoleProgress(TextWriter output, bool interactive) : IProgress<TsdSrProgress>
{
    private readonly Lock _lock = new();
    private int _width;

    public void Report(TsdSrProgress value)
    {
        if (!interactive)
        {
            return;
        }

        var stage = value.Stage.ToString().ToLowerInvariant();
        var line = $"  {value.ImageName ?? "models"}: {stage} {value.Current}/{value.Total}  {value.Elapsed.TotalSeconds:0.0} s";
        lock (_lock)
        {
            output.Write("\r" + line.PadRight(_width));
            _width = line.Length;
        }
    }

    /// <summary>Erases the live line before a permanent one is printed.</summary>
    public void Clear()
    {
        if (!interactive)
        {
            return;
        }

        lock (_lock)
        {
            if (_width > 0)
            {
                output.Write("\r" + new string(' ', _width) + "\r");
                _width = 0;
            }
        }
    }
}
