using System.Text.RegularExpressions;

namespace TsdSr.Tests.Docs;

/// <summary>
/// The documentation stands alone: every relative link resolves to a file of this repository, and no page points at
/// the team's private notes or machine paths that a reader of a fresh clone does not have.
/// </summary>
public sealed partial class DocsLinkTests
{
    public static TheoryData<string> MarkdownFiles() => [.. RepositoryDocs.MarkdownFiles];

    [Theory]
    [MemberData(nameof(MarkdownFiles))]
    public void Relative_links_resolve_to_files_in_the_repository(string file)
    {
        var folder = Path.GetDirectoryName(Path.Combine(RepositoryDocs.Root, file))!;
        var broken = new List<string>();
        foreach (Match link in MarkdownLink().Matches(File.ReadAllText(Path.Combine(RepositoryDocs.Root, file))))
        {
            string target = link.Groups["target"].Value;
            if (target.StartsWith('#') || target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
            {
                continue;
            }

            string path = Path.GetFullPath(Path.Combine(folder, Uri.UnescapeDataString(target.Split('#')[0])));
            bool inside = path.StartsWith(RepositoryDocs.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
            if (!inside || !(File.Exists(path) || Directory.Exists(path)))
            {
                broken.Add(target);
            }
        }

        broken.Should().BeEmpty($"links in {file} must point at files of the repository");
    }

    [Theory]
    [MemberData(nameof(MarkdownFiles))]
    public void Pages_do_not_point_outside_the_repository(string file)
    {
        string text = File.ReadAllText(Path.Combine(RepositoryDocs.Root, file));

        OutsidePointer().Matches(text).Select(m => m.Value).Should().BeEmpty(
            $"{file} must state what it needs in its own words or link the public source, not the team's shared folder or a machine path");
    }

    [Fact]
    public void The_checks_find_what_they_look_for()
    {
        MarkdownLink().Match("see [the page](docs/hosting.md#options) here").Groups["target"].Value.Should().Be("docs/hosting.md#options");
        OutsidePointer().IsMatch("details in `shared/reference/metrics-and-degradation.md`").Should().BeTrue();
        OutsidePointer().IsMatch("see ../shared/data/lpips").Should().BeTrue();
        OutsidePointer().IsMatch("tsdsr-reference §3.5").Should().BeTrue();
        OutsidePointer().IsMatch("--output /work/photo-pool").Should().BeTrue();
        OutsidePointer().IsMatch("one shared base, shared by both stages").Should().BeFalse();
    }

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)(\s+""[^""]*"")?\)")]
    private static partial Regex MarkdownLink();

    // The shared folder's paths, the names of the team's reference notes, and absolute paths of the work machines.
    [GeneratedRegex(@"(?<![\w-])(\.\./)*shared/(reference|data|fixtures)\b|tsdsr-reference|sd3-architecture|metrics-and-degradation|dotnet-notes|(?<![\w.~-])/work/")]
    private static partial Regex OutsidePointer();
}
