namespace TsdSr.Data.PhotoPool.Licences;

/// <summary>
/// Reads the licence from a Palapeli puzzle's <c>.desktop</c> file: <c>X-KDE-PluginInfo-License</c>,
/// <c>-Author</c> and <c>-Website</c> in its <c>[Desktop Entry]</c> group.
/// </summary>
public static class PalapeliDesktop
{
    /// <summary>The stated licence, or null when the file names none.</summary>
    public static PhotoLicence? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string? group = null, licence = null, author = null, website = null;
        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            string line = raw.Trim();
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                group = line[1..^1];
                continue;
            }

            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (group != "Desktop Entry" || eq <= 0)
            {
                continue;
            }

            string key = line[..eq].Trim(), value = line[(eq + 1)..].Trim();
            switch (key)
            {
                case "X-KDE-PluginInfo-License": licence ??= value; break;
                case "X-KDE-PluginInfo-Author": author ??= value; break;
                case "X-KDE-PluginInfo-Website": website ??= value; break;
            }
        }

        return string.IsNullOrEmpty(licence)
            ? null
            : new PhotoLicence(LicenceNames.Normalize(licence), string.IsNullOrEmpty(author) ? null : author, string.IsNullOrEmpty(website) ? null : website);
    }
}
