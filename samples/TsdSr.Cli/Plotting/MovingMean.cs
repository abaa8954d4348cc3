namespace TsdSr.Cli.Plotting;

/// <summary>The trailing moving mean drawn over noisy per-step losses.</summary>
internal static class MovingMean
{
    /// <summary>About 2 % of the run, at least 1 and at most 200 steps: smooth enough to read a trend, short enough to follow it.</summary>
    public static int WindowFor(int count) => Math.Clamp(count / 50, 1, 200);

    /// <summary>Element i is the mean of values[max(0, i − window + 1) .. i].</summary>
    public static double[] Of(IReadOnlyList<double> values, int window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        var result = new double[values.Count];
        double sum = 0;
        for (int i = 0; i < values.Count; i++)
        {
            sum += values[i];
            if (i >= window)
            {
                sum -= values[i - window];
            }

            result[i] = sum / Math.Min(i + 1, window);
        }

        return result;
    }
}
