using System.Globalization;
using TsdSr.Training.Loop;
using TsdSr.Training.Pretraining;
using TsdSr.Training.Runs;

namespace TsdSr.Cli.Commands;

/// <summary>
/// The live training line: step/max, the loss terms, the student learning rate, seconds per step and the ETA. Redrawn
/// in place on an interactive console; on a redirected one printed as a plain line every <paramref name="every"/> steps.
/// </summary>
internal sealed class TrainProgressLine(TextWriter output, bool interactive, int every = 10) : IProgress<TrainingProgress>, IProgress<PretrainingProgress>
{
    private readonly Lock folderLock = new();
    private int width;

    public void Report(TrainingProgress value) => Write(Format(value), value.Step, value.MaxSteps, value.StepsDone);

    /// <summary>Shows or prints one VAE/teacher step (<see cref="PretrainingProgress"/>).</summary>
    public void Report(PretrainingProgress value) => Write(Format(value), value.Step, value.MaxSteps, value.StepsDone);

    /// <summary>Erases the live line before a permanent one is printed.</summary>
    private void Write(string line, long step, long? maxSteps, long stepsDone)
    {
        lock (folderLock)
        {
            if (interactive)
            {
                output.Write("\r" + line.PadRight(width));
                width = line.Length;
            }
            else if ((step + 1) % every == 0 || step + 1 == maxSteps || stepsDone == 1)
            {
                output.WriteLine(line);
            }
        }
    }

    public void Clear()
    {
        lock (folderLock)
        {
            if (interactive && width > 0)
            {
                output.Write("\r" + new string(' ', width) + "\r");
                width = 0;
            }
        }
    }

    /// <summary>The progress as one line (culture-invariant numbers).</summary>
    public static string Format(TrainingProgress p)
    {
        var r = p.Result;
        var c = CultureInfo.InvariantCulture;
        var parts = new List<string> { p.MaxSteps is { } max ? $"step {p.Step + 1}/{max}" : $"step {p.Step + 1}" };
        if (r.StudentLoss is { } total)
        {
            parts.Add(string.Create(c, $"loss {total:0.0000}"));
        }

        parts.Add(string.Create(c, $"mse {r.LatentMse:0.0000}"));
        if (r.Perceptual is { } lpips)
        {
            parts.Add(string.Create(c, $"lpips {lpips:0.0000}"));
        }

        if (r.TsdLoss is { } tsd)
        {
            parts.Add(string.Create(c, $"tsd {tsd:0.0000}"));
        }

        if (r.FakeScoreLoss is { } fake)
        {
            parts.Add(string.Create(c, $"fake {fake:0.0000}"));
        }

        parts.Add(string.Create(c, $"lr {r.StudentLearningRate:0.00e+0}"));
        double perStep = p.StepsDone > 0 ? p.Elapsed.TotalSeconds / p.StepsDone : 0;
        parts.Add(string.Create(c, $"{perStep:0.00} s/step"));
        if (p.MaxSteps is { } m && perStep > 0)
        {
            parts.Add("ETA " + Eta(TimeSpan.FromSeconds(perStep * (m - p.Step - 1))));
        }

        return string.Join("  ", parts);
    }

    /// <summary>The line for a VAE or teacher step: every loss column, the learning rate, s/step and the ETA.</summary>
    public static string Format(PretrainingProgress p)
    {
        var c = CultureInfo.InvariantCulture;
        var parts = new List<string> { $"step {p.Step + 1}/{p.MaxSteps}" };
        foreach (var (name, value) in p.Metrics)
        {
            if (name.StartsWith("loss_", StringComparison.Ordinal) || name == PretrainingColumns.PsnrRgb)
            {
                var label = name.StartsWith("loss_", StringComparison.Ordinal) ? name["loss_".Length..] : name;
                parts.Add(string.Create(c, $"{label} {value:0.0000}"));
            }
        }

        if (p.Metrics.TryGetValue(PretrainingColumns.LearningRate, out var lr))
        {
            parts.Add(string.Create(c, $"lr {lr:0.00e+0}"));
        }

        double perStep = p.StepsDone > 0 ? p.Elapsed.TotalSeconds / p.StepsDone : 0;
        parts.Add(string.Create(c, $"{perStep:0.00} s/step"));
        if (perStep > 0)
        {
            parts.Add("ETA " + Eta(TimeSpan.FromSeconds(perStep * (p.MaxSteps - p.Step - 1))));
        }

        return string.Join("  ", parts);
    }

    private static string Eta(TimeSpan t) => t.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}h{t.Minutes:00}m")
        : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}m{t.Seconds:00}s");
}
