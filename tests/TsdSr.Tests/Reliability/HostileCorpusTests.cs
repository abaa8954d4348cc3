namespace TsdSr.Tests.Reliability;

/// <summary>Runs every case of the hostile-input corpus (<see cref="HostileCorpus"/>) and keeps docs/reliability.md equal to it.</summary>
public sealed class HostileCorpusTests
{
    public static IEnumerable<object[]> Ids() => HostileCorpus.Ids();

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task Each_hostile_input_gives_its_named_outcome(string id)
    {
        var c = HostileCorpus.Cases.Single(x => x.Id == id);
        using var workspace = new CorpusWorkspace();

        var outcome = await c.Run(workspace);

        outcome.Describe().Should().Be(c.Expected, outcome.Text);
        foreach (var word in c.KeyWords)
        {
            outcome.Text.Should().Contain(word);
        }

        foreach (var word in c.Absent)
        {
            outcome.Text.Should().NotContain(word);
        }

        if (c.After is { } after)
        {
            after.Holds(workspace, outcome).Should().BeTrue(after.What + Environment.NewLine + outcome.Text);
        }
    }

    [Fact]
    public void Case_ids_are_unique()
    {
        HostileCorpus.Cases.Select(c => c.Id).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void The_reliability_document_lists_every_case_with_its_outcome()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "reliability.md")).ReplaceLineEndings("\n");
        const string begin = "<!-- corpus:begin -->\n", end = "\n<!-- corpus:end -->";
        int from = doc.IndexOf(begin, StringComparison.Ordinal), to = doc.IndexOf(end, StringComparison.Ordinal);
        from.Should().BeGreaterThanOrEqualTo(0, "the document marks the table");

        doc[(from + begin.Length)..to].Should().Be(HostileCorpus.MarkdownTable(), "docs/reliability.md must list the corpus as it is");
        doc.Should().Contain($"{HostileCorpus.Cases.Count} cases");
    }

    private static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "TsdSr.sln")))
            {
                return d.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No TsdSr.sln above '{AppContext.BaseDirectory}'.");
    }
}
