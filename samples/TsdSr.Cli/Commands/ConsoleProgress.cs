using System.Diagnostics;
using TsdSr.Inference;

namespace TsdSr.Cli.Commands;

/// <summary>
/// Upscale progress (stage, tile i/N, elapsed). On an interactive console one line is redrawn with a carriage return;
/// when the output is redirected (a log, a pipe) a plain line is printed whenever a stage begins and every
/// <see cref="PlainInterval"/> within a long stage, so a ten-minute image never looks like a hung process. Reports
/// arrive on the worker thread.
/// </summary>
internal sealed class ConsoleProgress(TextWriter output, bool interactive) : IProgress<TsdSrProgress>
{
    /// <summary>Longest silence between plain lines within one stage.</summary>
    public static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private readonly Stopwatch _sinceLine = Stopwatch.StartNew();
    private (string? Image, TsdSrStage Stage)? _last;
    private int _width;

    public void Report(TsdSrProgress value)
    {
        var stage = value.Stage.ToString().ToLowerInvariant();
        var line = $"  {value.ImageName ?? "models"}: {stage} {value.Current}/{value.Total}  {value.Elapsed.TotalSeconds:0.0} s";
        lock (_lock)
        {
            if (interactive)
            {
                output.Write("\r" + line.PadRight(_width));
                _width = line.Length;
                return;
            }

            var key = (value.ImageName, value.Stage);
            if (value.Stage != TsdSrStage.Done && (_last != key || _sinceLine.Elapsed >= PlainInterval))
            {
                output.WriteLine(line);
                _last = key;
                _sinceLine.Restart();
            }
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
