using Microsoft.Extensions.Logging;

namespace TsdSr.Cli.Commands;

/// <summary>
/// Hands out <see cref="TextWriterLogger{T}"/>s over one writer, so that library warnings (unknown config keys, a wrong
/// <c>_class_name</c>) reach the user of a command instead of a logger nobody reads.
/// </summary>
internal sealed class TextWriterLoggerFactory(TextWriter writer, LogLevel minimum = LogLevel.Warning) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new TextWriterLogger<object>(writer, null, minimum);

    public void AddProvider(ILoggerProvider provider)
    {
        // One writer only; providers are not supported.
    }

    public void Dispose()
    {
    }
}
