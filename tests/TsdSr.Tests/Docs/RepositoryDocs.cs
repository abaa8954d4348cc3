using System.Text;

namespace TsdSr.Tests.Docs;

/// <summary>The repository's Markdown files and their fenced code blocks.</summary>
internal static class RepositoryDocs
{
    /// <summary>Folders that hold no documentation: build outputs, git, and generated or linked data.</summary>
    private static readonly HashSet<string> SkippedFolders = ["bin", "obj", ".git", "artifacts", "runs", "photo-pool", "photo-pool-work", "TestResults", "BenchmarkDotNet.Artifacts"];   // first: the initialisers below use it

    /// <summary>The repository root: the first folder above the test assembly that holds TsdSr.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Every Markdown file of the repository (build outputs and git internals left out), relative, with '/'.</summary>
    public static IReadOnlyList<string> MarkdownFiles { get; } = FindMarkdown(Root)
        .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>The fenced code blocks of every Markdown file.</summary>
    public static IReadOnlyList<CodeBlock> Blocks { get; } = MarkdownFiles.SelectMany(Parse).ToList();

    /// <summary>The fenced blocks of one file, with the HTML comment on the line before each (if any).</summary>
    public static IEnumerable<CodeBlock> Parse(string relativePath)
    {
        var lines = File.ReadAllLines(Path.Combine(Root, relativePath));
        for (int i = 0; i < lines.Length; i++)
        {
            var fence = lines[i].TrimStart();
            if (!fence.StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }

            string language = fence[3..].Trim();
            int start = i + 1;
            int end = start;
            while (end < lines.Length && !lines[end].TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                end++;
            }

            string? comment = null;
            int before = i - 1;
            while (before >= 0 && lines[before].Trim().Length == 0)
            {
                before--;
            }

            if (before >= 0 && lines[before].Trim() is var previous && previous.StartsWith("<!--", StringComparison.Ordinal) && previous.EndsWith("-->", StringComparison.Ordinal))
            {
                comment = previous[4..^3].Trim();
            }

            var code = new StringBuilder();
            foreach (var line in lines[start..Math.Min(end, lines.Length)])
            {
                code.Append(line).Append('\n');
            }

            yield return new CodeBlock(relativePath, start, language, code.ToString(), comment);
            i = end;
        }
    }

    private static IEnumerable<string> FindMarkdown(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*.md"))
        {
            yield return file;
        }

        // Linked folders (the photo pool, say) are not walked: they are not part of the repository.
        foreach (var sub in new DirectoryInfo(folder).EnumerateDirectories())
        {
            if (!SkippedFolders.Contains(sub.Name) && sub.LinkTarget is null)
            {
                foreach (var file in FindMarkdown(sub.FullName))
                {
                    yield return file;
                }
            }
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TsdSr.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No TsdSr.sln above {AppContext.BaseDirectory}.");
    }
}

/// <summary>One fenced code block.</summary>
/// <param name="File">The Markdown file, relative to the repository root.</param>
/// <param name="Line">The 1-based line of the block's first code line.</param>
/// <param name="Language">The fence's info string (<c>csharp</c>, <c>sh</c>, …), or empty.</param>
/// <param name="Code">The block's text, each line ending with '\n'.</param>
/// <param name="Comment">The text of an HTML comment right above the fence (e.g. <c>snippet: path</c>), or null.</param>
internal sealed record CodeBlock(string File, int Line, string Language, string Code, string? Comment)
{
    public bool IsCSharp => Language is "csharp" or "cs" or "c#";

    public bool IsJson => Language is "json" or "jsonc";

    /// <summary>The repository file this block must reproduce (<c>&lt;!-- snippet: path --&gt;</c>), or null.</summary>
    public string? SnippetSource => Comment is { } c && c.StartsWith("snippet:", StringComparison.Ordinal) ? c["snippet:".Length..].Trim() : null;

    public override string ToString() => $"{File}:{Line}";
}
