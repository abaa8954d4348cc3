using Microsoft.Extensions.Logging;

namespace TsdSr.Cli.Commands;

/// <summary>
/// A minimal <see cref="ILogger{T}"/> that writes "level: message" lines to a writer (the command's error stream), clearing the
/// live progress line first so that both stay readable.
/// </summary>
internal sealed class TextWriterLogger<T>(TextWriter writer, Action? beforeWrite = null, LogLevel minimum = LogLevel.Information) : ILogger<T>
{
    private readonly Lock folderLock = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var level = logLevel switch
        {
            LogLevel.Warning => "warning",
            LogLevel.Error or LogLevel.Critical => "error",
            LogLevel.Information => "info",
            _ => "debug",
        };
        lock (folderLock)
        {
            beforeWrite?.Invoke();
            writer.WriteLine($"{level}: {formatter(state, exception)}");
            if (exception is not null)
            {
                writer.WriteLine("  " + exception.Message);
            }
        }
    }
}
