using System.Xml.Linq;
using TsdSr.Tests.Docs;

namespace TsdSr.Tests.Build;

public sealed class CentralPackagesTests
{
    [Fact]
    public void Every_central_package_version_is_referenced_by_some_project()
    {
        var versions = XDocument.Load(Path.Combine(RepositoryDocs.Root, "Directory.Packages.props"))
            .Descendants("PackageVersion")
            .Select(e => (string)e.Attribute("Include")!)
            .ToList();
        var referenced = ProjectFiles()
            .SelectMany(f => XDocument.Load(f).Descendants("PackageReference"))
            .Select(e => (string?)e.Attribute("Include"))
            .ToHashSet(StringComparer.Ordinal);

        versions.Should().NotBeEmpty();
        versions.Where(v => !referenced.Contains(v)).Should().BeEmpty("a central version that no project references is dead weight");
    }

    private static IEnumerable<string> ProjectFiles()
    {
        foreach (var folder in new[] { "src", "samples", "tests", "benchmarks" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryDocs.Root, folder), "*.*proj", SearchOption.AllDirectories))
            {
                yield return file;
            }
        }

        foreach (var file in Directory.EnumerateFiles(RepositoryDocs.Root, "Directory.Build.*", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            yield return file;
        }
    }
}
