namespace TsdSr.Data.PhotoPool.Licences;

/// <summary>
/// Parses the <c>README</c> files GCompris keeps beside its images inside each <c>.rcc</c>: blocks separated by blank
/// lines, each with <c>Copyright:</c>, <c>License:</c>, optionally <c>Source:</c> and <c>Comments:</c>, and
/// <c>Files:</c> followed by file names on the same line or on the lines after it (relative to the README's folder).
/// Keys come in any order.
/// </summary>
public static class GComprisReadme
{
    /// <summary>Licence per file name, as the README lists it. A file listed twice keeps its first block.</summary>
    public static IReadOnlyDictionary<string, PhotoLicence> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new Dictionary<string, PhotoLicence>(StringComparer.Ordinal);
        foreach (var block in Blocks(text))
        {
            string? copyright = null, licence = null, source = null;
            var files = new List<string>();
            bool inFiles = false;
            foreach (var line in block)
            {
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                string key = colon > 0 ? line[..colon].Trim() : "";
                if (colon > 0 && key is "Copyright" or "License" or "Source" or "Comments" or "Files")
                {
                    string value = line[(colon + 1)..].Trim();
                    inFiles = key == "Files";
                    switch (key)
                    {
                        case "Copyright": copyright = value; break;
                        case "License": licence = value; break;
                        case "Source": source = value; break;
                        case "Files" when value.Length > 0: files.Add(value); break;
                    }
                }
                else if (inFiles && line.Trim().Length > 0)
                {
                    files.Add(line.Trim());
                }
            }

            if (licence is null)
            {
                continue;
            }

            var entry = new PhotoLicence(LicenceNames.Normalize(licence), Empty(copyright), Empty(source));
            foreach (var file in files)
            {
                result.TryAdd(file, entry);
            }
        }

        return result;
    }

    private static string? Empty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    private static IEnumerable<List<string>> Blocks(string text)
    {
        var block = new List<string>();
        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            if (raw.Trim().Length == 0)
            {
                if (block.Count > 0)
                {
                    yield return block;
                    block = [];
                }
            }
            else
            {
                block.Add(raw);
            }
        }

        if (block.Count > 0)
        {
            yield return block;
        }
    }
}
