namespace TsdSr.Cli.Commands;

/// <summary>The exit codes every <c>tsdsr</c> command uses.</summary>
internal static class ExitCodes
{
    /// <summary>Everything went through.</summary>
    public const int Success = 0;

    /// <summary>Some inputs failed (each was named); the others were done.</summary>
    public const int SomeFailed = 1;

    /// <summary>A usage or setup error: nothing was done.</summary>
    public const int SetupFailed = 2;

    /// <summary>Cancelled by Ctrl+C or SIGTERM (what was kept was said).</summary>
    public const int Cancelled = TerminationSignals.ExitCode;
}
