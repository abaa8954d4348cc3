using System.Globalization;

namespace TsdSr.Data.PhotoPool.Manifest;

/// <summary>
/// Compares a built manifest with the expected (committed) one, photo by photo, on every column: a different SHA-256
/// of the written PNG is how a changed package, decoder or resize shows up.
/// </summary>
public static class ManifestComparison
{
    /// <summary>
    /// The differences, ordered by photo. Only expected rows whose source is in <paramref name="sources"/> are
    /// compared (the others belong to sources that were not built, such as an optional package left out); null
    /// compares all.
    /// </summary>
    public static IReadOnlyList<ManifestDifference> Compare(PhotoManifest expected, PhotoManifest built, IReadOnlySet<string>? sources = null)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(built);
        var want = expected.Rows.Where(r => sources is null || sources.Contains(r.Source)).ToDictionary(r => r.Key);
        var have = built.Rows.ToDictionary(r => r.Key);
        var differences = new List<ManifestDifference>();
        foreach (var (key, row) in want)
        {
            if (!have.TryGetValue(key, out var got))
            {
                differences.Add(new ManifestDifference(key, ManifestDifferenceKind.Missing, ""));
            }
            else if (Diff(row, got) is { Length: > 0 } detail)
            {
                differences.Add(new ManifestDifference(key, ManifestDifferenceKind.Changed, detail));
            }
        }

        differences.AddRange(have.Keys.Where(k => !want.ContainsKey(k)).Select(k => new ManifestDifference(k, ManifestDifferenceKind.Unexpected, "")));
        return differences.OrderBy(d => d.Key.ToString(), StringComparer.Ordinal).ToList();
    }

    private static string Diff(PhotoManifestRow a, PhotoManifestRow b)
    {
        var parts = new List<string>();
        void Check(string column, string? x, string? y)
        {
            if (!string.Equals(x, y, StringComparison.Ordinal))
            {
                parts.Add($"{column}: {x ?? "(none)"} → {y ?? "(none)"}");
            }
        }

        Check("split", a.Split.ToString(), b.Split.ToString());
        Check("source", a.Source, b.Source);
        Check("version", a.Version, b.Version);
        Check("file", a.File, b.File);
        Check("size", $"{a.Width}x{a.Height}", $"{b.Width}x{b.Height}");
        Check("scale", a.Scale.ToString("R", CultureInfo.InvariantCulture), b.Scale.ToString("R", CultureInfo.InvariantCulture));
        Check("licence", a.Licence.Licence, b.Licence.Licence);
        Check("author", a.Licence.Author, b.Licence.Author);
        Check("origin", a.Licence.Origin, b.Licence.Origin);
        Check("source_sha256", a.SourceSha256, b.SourceSha256);
        Check("sha256", a.Sha256, b.Sha256);
        return string.Join("; ", parts);
    }
}
