namespace TsdSr.Data.PhotoPool.Licences;

/// <summary>
/// Maps the licence spellings found in the packages ("CC-BY-SA 4.0", "Public domain", "LGPLv3", "GNU-FDL") to one
/// identifier each, so the manifest can be filtered by licence. Unknown spellings are kept as written.
/// </summary>
public static class LicenceNames
{
    /// <summary>The identifier used for public-domain works (SPDX has none).</summary>
    public const string PublicDomain = "public-domain";

    private static readonly Dictionary<string, string> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["public domain"] = PublicDomain,
        ["public-domain"] = PublicDomain,
        ["pd"] = PublicDomain,
        ["cc0"] = "CC0-1.0",
        ["cc0-1.0"] = "CC0-1.0",
        ["cc0 1.0"] = "CC0-1.0",
        ["fdl"] = "GFDL",
        ["gnu-fdl"] = "GFDL",
        ["gfdl"] = "GFDL",
        ["lgplv3"] = "LGPL-3.0",
        ["lgpl-3.0"] = "LGPL-3.0",
        ["gpl-2"] = "GPL-2.0",
        ["gplv2"] = "GPL-2.0",
        ["gpl-2+"] = "GPL-2.0-or-later",
        ["gplv3"] = "GPL-3.0",
        ["bsd-2-clause"] = "BSD-2-Clause",
        ["expat"] = "MIT",
    };

    /// <summary>The normalised identifier of <paramref name="text"/>.</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim();
        if (Known.TryGetValue(t, out var known))
        {
            return known;
        }

        // Creative Commons: "CC-BY-SA 4.0", "CC BY-SA 4.0", "cc-by-2.0" → "CC-BY-SA-4.0", "CC-BY-2.0".
        if (t.StartsWith("CC", StringComparison.OrdinalIgnoreCase) && t.Length > 2 && t[2] is '-' or ' ')
        {
            return t.ToUpperInvariant().Replace(' ', '-');
        }

        return t;
    }
}
