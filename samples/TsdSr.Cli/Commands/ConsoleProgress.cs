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

    private readonly Lock folderLock = new();
    private readonly Stopwatch sinceLine = Stopwatch.StartNew();
    private (string? Image, TsdSrStage Stage)? last;
    private int width;

    public void Report(TsdSrProgress value)
    {
        var stage = value.Stage.ToString().ToLowerInvariant();
        var line = $"  {value.ImageName ?? "models"}: {stage} {value.Current}/{value.Total}  {value.Elapsed.TotalSeconds:0.0} s";
        lock (folderLock)
        {
            if (interactive)
            {
                output.Write("\r" + line.PadRight(width));
                width = line.Length;
                return;
            }

            var key = (value.ImageName, value.Stage);
            if (value.Stage != TsdSrStage.Done && (last != key || sinceLine.Elapsed >= PlainInterval))
            {
                output.WriteLine(line);
                last = key;
                sinceLine.Restart();
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

        lock (folderLock)
        {
            if (width > 0)
            {
                output.Write("\r" + new string(' ', width) + "\r");
                width = 0;
            }
        }
    }
}
