namespace TsdSr.Data.PhotoPool.Licences;

/// <summary>
/// Reads a machine-readable Debian <c>copyright</c> file (DEP-5): paragraphs with <c>Files:</c> (space-separated
/// patterns, continued on indented lines), <c>Copyright:</c> and <c>License:</c>. Files are matched by file name,
/// because the patterns name the upstream tree (<c>16.04/Bridge_by_Sander_Klootwijk.jpg</c>), not the installed path.
/// </summary>
public static class DebianCopyright
{
    /// <summary>
    /// The licence of the last paragraph whose <c>Files:</c> has a pattern ending in <paramref name="fileName"/>
    /// (DEP-5 lets later paragraphs override earlier ones), or null. A bare <c>*</c> is not taken as a match, because
    /// it states the licence of the packaging and code, not of a particular image.
    /// </summary>
    public static PhotoLicence? Find(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        PhotoLicence? found = null;
        foreach (var paragraph in Paragraphs(text))
        {
            if (!paragraph.TryGetValue("Files", out var files) || !paragraph.TryGetValue("License", out var licence))
            {
                continue;
            }

            bool matches = files.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries)
                .Any(p => p == fileName || p.EndsWith("/" + fileName, StringComparison.Ordinal));
            if (matches)
            {
                paragraph.TryGetValue("Copyright", out var copyright);
                string firstLine = licence.Split('\n')[0].Trim();
                string? holder = copyright?.Split('\n')[0].Trim();
                found = new PhotoLicence(LicenceNames.Normalize(firstLine), string.IsNullOrEmpty(holder) ? null : holder);
            }
        }

        return found;
    }

    private static IEnumerable<Dictionary<string, string>> Paragraphs(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? last = null;
        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            if (raw.Trim().Length == 0)
            {
                if (fields.Count > 0)
                {
                    yield return fields;
                    fields = new(StringComparer.OrdinalIgnoreCase);
                }

                last = null;
            }
            else if (raw[0] is ' ' or '\t')
            {
                if (last is not null)
                {
                    fields[last] += "\n" + raw.Trim();
                }
            }
            else
            {
                int colon = raw.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    last = raw[..colon].Trim();
                    fields[last] = raw[(colon + 1)..].Trim();
                }
            }
        }

        if (fields.Count > 0)
        {
            yield return fields;
        }
    }
}
