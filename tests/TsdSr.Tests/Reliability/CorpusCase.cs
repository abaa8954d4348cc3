namespace TsdSr.Tests.Reliability;

/// <summary>What running one hostile case produced: the exit code (commands) or the exception type (library calls), and all the text it printed or threw.</summary>
/// <param name="ExitCode">The command's exit code, or null for a library call.</param>
/// <param name="Exception">The thrown exception's type name, or null.</param>
/// <param name="Text">Standard output, standard error and the exception message, together.</param>
internal sealed record CorpusOutcome(int? ExitCode, string? Exception, string Text)
{
    /// <summary>The outcome as the results table shows it.</summary>
    public string Describe() => ExitCode is { } code ? $"exit {code}" : Exception ?? "no exception";
}

/// <summary>
/// One hostile or unusual input of issue #12: how it is crafted and run (<see cref="Run"/>) and what must come out (an
/// exit code or an exception type, key words of the message, and optionally a check on the files left behind).
/// </summary>
/// <param name="Id">Stable short name, listed in docs/reliability.md.</param>
/// <param name="Section">The issue section: "1 Data loss", "2 Nothing unbounded", "3 Every failure named".</param>
/// <param name="Input">What is crafted, in a few words.</param>
/// <param name="Run">Crafts the files in a fresh workspace and runs the command or call.</param>
/// <param name="Expected">The expected exit code ("exit 2") or exception type name.</param>
/// <param name="KeyWords">Words the output or message must contain.</param>
internal sealed record CorpusCase(string Id, string Section, string Input, Func<CorpusWorkspace, Task<CorpusOutcome>> Run, string Expected, params string[] KeyWords)
{
    /// <summary>A check of the workspace and outcome after the run (input unchanged, no temporary left, …) and what it asserts, or null.</summary>
    public (string What, Func<CorpusWorkspace, CorpusOutcome, bool> Holds)? After { get; init; }

    /// <summary>Words the output must not contain (a stack trace, a claim about a checkpoint that does not exist).</summary>
    public string[] Absent { get; init; } = [];
}
