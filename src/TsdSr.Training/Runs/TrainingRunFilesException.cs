namespace TsdSr.Training.Runs;

/// <summary>
/// Files or folders a training run needs are missing; <see cref="Missing"/> names each one and where it was expected,
/// so that every problem is reported at once before anything is loaded.
/// </summary>
public sealed class TrainingRunFilesException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="missing">One line per missing item (name, expected location).</param>
    public TrainingRunFilesException(IReadOnlyList<string> missing)
        : base($"The training run cannot start, {missing.Count} input(s) are missing:{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", missing)}")
    {
        Missing = missing;
    }

    /// <summary>One line per missing item, each naming the config key, the file and where it was expected.</summary>
    public IReadOnlyList<string> Missing { get; }
}
