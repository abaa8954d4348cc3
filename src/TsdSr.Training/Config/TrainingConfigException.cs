namespace TsdSr.Training.Config;

/// <summary>A training configuration file cannot be read or has invalid values; <see cref="Errors"/> lists each one.</summary>
public sealed class TrainingConfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TrainingConfigException(string source, IReadOnlyList<string> errors, Exception? inner = null)
        : base($"Invalid training configuration '{source}':{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", errors)}", inner)
    {
        Source = source;
        Errors = errors;
    }

    /// <summary>The file (or description) that was read.</summary>
    public new string Source { get; }

    /// <summary>One line per problem, each starting with the JSON path (e.g. <c>data.batch_size</c>).</summary>
    public IReadOnlyList<string> Errors { get; }
}
