using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.Extensions.Configuration;
using TsdSr.Inference.Hosting;

namespace TsdSr.Tests.Docs;

/// <summary>
/// Every C# block in the repository's Markdown compiles as a file of its own (a program when it has statements) with
/// the implicit usings of a new console project, against the TsdSr libraries and the Microsoft.Extensions and ASP.NET
/// Core assemblies an application would reference. Blocks marked <c>&lt;!-- snippet: path --&gt;</c> are exact copies
/// of that file. JSON blocks parse, and a <c>TsdSr</c> section in one binds to <see cref="TsdSrOptions"/> with no
/// unknown key.
/// </summary>
public sealed class DocsCodeBlockTests
{
    /// <summary>What <c>dotnet new console</c> turns on with ImplicitUsings.</summary>
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    public static TheoryData<string> CSharpBlocks() => [.. RepositoryDocs.Blocks.Where(b => b.IsCSharp).Select(b => b.ToString())];

    public static TheoryData<string> SnippetBlocks() => [.. RepositoryDocs.Blocks.Where(b => b.SnippetSource is not null).Select(b => b.ToString())];

    public static TheoryData<string> JsonBlocks() => [.. RepositoryDocs.Blocks.Where(b => b.IsJson).Select(b => b.ToString())];

    [Fact]
    public void The_documentation_has_csharp_blocks_snippets_and_json_to_check()
    {
        // Guards the theories below against silently checking nothing (a renamed folder, a broken parser).
        CSharpBlocks().Count.Should().BeGreaterThanOrEqualTo(10);
        SnippetBlocks().Should().NotBeEmpty();
        JsonBlocks().Should().NotBeEmpty();
        RepositoryDocs.MarkdownFiles.Should().Contain(["README.md", "docs/getting-started.md", "src/TsdSr.Data/README.md"]);
    }

    [Theory]
    [MemberData(nameof(CSharpBlocks))]
    public void Csharp_block_compiles(string block)
    {
        var code = Find(block);

        var errors = Compile(code);

        errors.Should().BeEmpty($"the C# block at {code} must compile as written");
    }

    [Theory]
    [MemberData(nameof(SnippetBlocks))]
    public void Snippet_block_is_an_exact_copy_of_its_source_file(string block)
    {
        var code = Find(block);
        var source = Path.Combine(RepositoryDocs.Root, code.SnippetSource!);

        File.Exists(source).Should().BeTrue($"{code} names {code.SnippetSource}");
        var expected = File.ReadAllText(source).ReplaceLineEndings("\n").TrimEnd('\n') + "\n";
        code.Code.Should().Be(expected, $"the block at {code} is generated from {code.SnippetSource}; copy the file into it again");
    }

    [Theory]
    [MemberData(nameof(JsonBlocks))]
    public void Json_block_parses_and_its_TsdSr_section_binds_to_the_options(string block)
    {
        var code = Find(block);
        using var document = JsonDocument.Parse(code.Code, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });

        if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(TsdSrOptions.SectionName, out _))
        {
            var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(code.Code))).Build();
            var options = new TsdSrOptions();
            Action bind = () => configuration.GetSection(TsdSrOptions.SectionName).Bind(options, o => o.ErrorOnUnknownConfiguration = true);
            bind.Should().NotThrow($"every key of the TsdSr section at {code} must be a TsdSrOptions property with a valid value");
        }
    }

    [Fact]
    public void A_block_with_an_error_is_reported()
    {
        // The compiler check itself: an undefined name must be an error, or the theory above proves nothing.
        var broken = new CodeBlock("test.md", 1, "csharp", "Console.WriteLine(undefinedName);\n", null);

        Compile(broken).Should().ContainSingle().Which.Should().Contain("CS0103");
    }

    private static CodeBlock Find(string id) => RepositoryDocs.Blocks.Single(b => b.ToString() == id);

    private static List<string> Compile(CodeBlock block)
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var tree = CSharpSyntaxTree.ParseText(block.Code, options, path: block.File);
        bool program = tree.GetCompilationUnitRoot().Members.OfType<GlobalStatementSyntax>().Any();
        var compilation = CSharpCompilation.Create(
            "DocBlock",
            [CSharpSyntaxTree.ParseText(ImplicitUsings, options), tree],
            References.Value,
            new CSharpCompilationOptions(
                program ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable));
        return compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => $"{d.Id} line {d.Location.GetLineSpan().StartLinePosition.Line + 1}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")
            .ToList();
    }

    /// <summary>The assemblies this test process runs with: the framework, ASP.NET Core, the TsdSr libraries and their packages.</summary>
    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Where(p => !Path.GetFileName(p).StartsWith("TsdSr.Tests", StringComparison.Ordinal))
            .Where(p => !Path.GetFileName(p).StartsWith("xunit", StringComparison.OrdinalIgnoreCase));
        return [.. paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }
}
