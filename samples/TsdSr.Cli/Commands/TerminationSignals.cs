using System.Runtime.InteropServices;
using TsdSr.Core.Files;

namespace TsdSr.Cli.Commands;

/// <summary>
/// SIGINT (Ctrl+C) and SIGTERM for every command, through one cancellation token. Without handlers of its own the
/// process dies of the signal within a tenth of a second, so no command could say what it kept, and a file being
/// written stayed behind as a temporary. The first signal cancels the token: commands stop at their next safe point
/// (between images, after the current training step), keep what is complete, and exit 130. A second signal ends the
/// process at once, after deleting the temporaries still being written (<see cref="TemporaryFiles"/>).
/// </summary>
internal sealed class TerminationSignals : IDisposable
{
    /// <summary>The exit code of a cancelled or interrupted run.</summary>
    public const int ExitCode = 130;

    private readonly CancellationTokenSource cancel = new();
    private readonly TextWriter error;
    private readonly string stopping;
    private readonly Action forceExit;
    private readonly List<PosixSignalRegistration> registrations = [];
    private int signals;

    /// <summary>Creates the handler; <see cref="Register"/> attaches it to the process.</summary>
    /// <param name="error">Where the notices go.</param>
    /// <param name="stopping">What the first signal makes the command do, e.g. "Stopping after the current image".</param>
    /// <param name="forceExit">Ends the process on the second signal; default <c>Environment.Exit(130)</c>.</param>
    public TerminationSignals(TextWriter error, string stopping, Action? forceExit = null)
    {
        this.error = error;
        this.stopping = stopping;
        this.forceExit = forceExit ?? (() => Environment.Exit(ExitCode));
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => cancel.Token;

    /// <summary>What each command does on the first signal.</summary>
    public static string StoppingMessageFor(string? command) => command switch
    {
        "upscale" => "Stopping after the current image: finished outputs are kept, the image in progress is discarded",
        "train" => "Stopping after the current step and writing a checkpoint",
        "degrade" => "Stopping after the current pair: pairs already written are kept",
        "eval" => "Stopping after the current image; nothing is written",
        _ => "Stopping",
    };

    /// <summary>Handles SIGINT and SIGTERM in this process until disposed.</summary>
    public TerminationSignals Register()
    {
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            registrations.Add(PosixSignalRegistration.Create(signal, context => context.Cancel = Handle(context.Signal)));
        }

        return this;
    }

    /// <summary>Reacts to one signal; returns true when the default action (ending the process) is suppressed.</summary>
    internal bool Handle(PosixSignal signal)
    {
        var name = signal == PosixSignal.SIGTERM ? "SIGTERM" : "Ctrl+C (SIGINT)";
        if (Interlocked.Increment(ref signals) == 1)
        {
            this.error.WriteLine();
            this.error.WriteLine($"{name}: {this.stopping} (press Ctrl+C again to quit at once) ...");
            cancel.Cancel();
            return true;
        }

        int removed = TemporaryFiles.DeleteAll();
        this.error.WriteLine();
        this.error.WriteLine($"{name} again: quitting now{(removed > 0 ? $"; removed {removed} unfinished temporary file(s)" : string.Empty)}. Work not yet finished is discarded.");
        this.error.Flush();
        this.forceExit();
        return true;
    }

    /// <summary>Detaches from the process's signals.</summary>
    public void Dispose()
    {
        foreach (var r in registrations)
        {
            r.Dispose();
        }

        cancel.Dispose();
    }
}
