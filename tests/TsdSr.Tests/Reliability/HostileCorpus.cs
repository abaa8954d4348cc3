namespace TsdSr.Tests.Reliability;

/// <summary>
/// The hostile-input corpus of issue #12 §1–§3, as code: every case crafts its files in a fresh workspace, runs the CLI
/// or the library on them and states the outcome it must give. <see cref="HostileCorpusTests"/> runs them all, and
/// docs/reliability.md lists them (a test keeps the two equal).
/// </summary>
internal static partial class HostileCorpus
{
    public const string DataLoss = "1 Data loss";
    public const string Unbounded = "2 Nothing unbounded";
    public const string Named = "3 Every failure named";

    /// <summary>Every case, in document order.</summary>
    public static IReadOnlyList<CorpusCase> Cases { get; } = [.. DataLossCases(), .. UnboundedCases(), .. NamedFailureCases()];

    public static IEnumerable<object[]> Ids() => Cases.Select(c => new object[] { c.Id });

    /// <summary>The results table of docs/reliability.md.</summary>
    public static string MarkdownTable()
    {
        var lines = new List<string>
        {
            "| # | case | section | hostile input | outcome | the output names |",
            "|---|---|---|---|---|---|",
        };
        for (int i = 0; i < Cases.Count; i++)
        {
            var c = Cases[i];
            var words = string.Join(", ", c.KeyWords.Select(k => "`" + k.Replace("|", "\\|", StringComparison.Ordinal) + "`"));
            lines.Add($"| {i + 1} | `{c.Id}` | {c.Section} | {c.Input.Replace("|", "\\|", StringComparison.Ordinal)} | {c.Expected} | {words} |");
        }

        return string.Join("\n", lines);
    }
}
