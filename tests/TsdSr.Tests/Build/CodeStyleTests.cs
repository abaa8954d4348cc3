using System.Text.RegularExpressions;
using System.Xml.Linq;
using TsdSr.Tests.Docs;

namespace TsdSr.Tests.Build;

/// <summary>The code style is stated once, in the root .editorconfig, and the build enforces it.</summary>
public sealed partial class CodeStyleTests
{
    [Fact]
    public void The_build_enforces_the_editorconfig_rules()
    {
        var props = XDocument.Load(Path.Combine(RepositoryDocs.Root, "Directory.Build.props"));
        ((string?)props.Descendants("EnforceCodeStyleInBuild").SingleOrDefault()).Should().Be("true");
        ((string?)props.Descendants("TreatWarningsAsErrors").SingleOrDefault()).Should().Be("true");

        var editorConfig = File.ReadAllLines(Path.Combine(RepositoryDocs.Root, ".editorconfig"));
        editorConfig.Should().Contain("root = true");
        foreach (var rule in new[] { "IDE1006", "IDE0130", "IDE0161", "IDE0011", "IDE0040", "IDE0065" })
        {
            editorConfig.Should().Contain($"dotnet_diagnostic.{rule}.severity = warning", "{0} is stated as enforced", rule);
        }
    }

    [Fact]
    public void No_source_suppresses_what_the_editorconfig_states()
    {
        // FidInception is the one stated exception: torchvision's key names fit no naming style.
        var allowed = Path.Combine("src", "TsdSr.Evaluation", "Fid", "FidInception.cs");
        var offenders = new List<string>();
        foreach (var folder in new[] { "src", "samples", "tests", "benchmarks" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryDocs.Root, folder), "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(RepositoryDocs.Root, file);
                if (relative.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) || relative == allowed)
                {
                    continue;
                }

                if (StyleSuppression().IsMatch(File.ReadAllText(file)))
                {
                    offenders.Add(relative);
                }
            }
        }

        offenders.Should().BeEmpty("naming and layout rules live in .editorconfig, not in per-file suppressions");
    }

    [GeneratedRegex(@"#pragma\s+warning\s+disable\s+IDE\d+|SuppressMessage\(\s*""Style""")]
    private static partial Regex StyleSuppression();
}
