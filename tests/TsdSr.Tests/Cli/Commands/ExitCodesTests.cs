using System.Text.RegularExpressions;
using TsdSr.Cli.Commands;
using TsdSr.Tests.Docs;

namespace TsdSr.Tests.Cli.Commands;

/// <summary>The exit codes are documented once, in docs/cli.md, and the README points there.</summary>
public sealed partial class ExitCodesTests
{
    [Fact]
    public void The_documented_table_is_the_codes_the_commands_return()
    {
        var page = File.ReadAllText(Path.Combine(RepositoryDocs.Root, "docs", "cli.md"));
        var documented = CodeRow().Matches(page).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();

        documented.Should().Equal(ExitCodes.Success, ExitCodes.SomeFailed, ExitCodes.SetupFailed, ExitCodes.Cancelled);
    }

    [Fact]
    public void The_readme_points_to_the_conventions_and_its_alias_names_the_cli_project()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryDocs.Root, "README.md"));
        readme.Should().Contain("[docs/cli.md](docs/cli.md)");

        var alias = Alias().Match(readme);
        alias.Success.Should().BeTrue("the README writes commands as `tsdsr` and says how that name is made");
        File.Exists(Path.Combine(RepositoryDocs.Root, alias.Groups[1].Value, "TsdSr.Cli.csproj")).Should().BeTrue();
        readme.IndexOf(alias.Value, StringComparison.Ordinal).Should().BeLessThan(readme.IndexOf("tsdsr info", StringComparison.Ordinal), "the alias comes before the first `tsdsr` command");
    }

    [GeneratedRegex(@"^\| (\d+) \| ", RegexOptions.Multiline)]
    private static partial Regex CodeRow();

    [GeneratedRegex(@"alias tsdsr=""dotnet run -c Release --project \$PWD/([^ ""]+) --""")]
    private static partial Regex Alias();
}
