namespace TsdSr.Data.PhotoPool;

/// <summary>
/// A photo (or a set of them) that a source's patterns match but that must not be used, with the reason a person
/// decided so after looking at it.
/// </summary>
/// <param name="Package">Debian package.</param>
/// <param name="Path">Pattern of the file inside the package (see <see cref="PathPattern"/>).</param>
/// <param name="Entry">Pattern of the archive entry; null matches plain files and every entry of a matching archive.</param>
/// <param name="Reason">Why it is excluded (render, illustration, composite, identifiable people, upscaled, …).</param>
public sealed record PhotoExclusion(string Package, string Path, string? Entry, string Reason)
{
    /// <summary>Whether this exclusion covers <paramref name="key"/>.</summary>
    public bool Matches(PhotoKey key) =>
        string.Equals(key.Package, Package, StringComparison.Ordinal)
        && new PathPattern(Path).IsMatch(key.Path)
        && (Entry is null || (key.Entry is not null && new PathPattern(Entry).IsMatch(key.Entry)));
}
