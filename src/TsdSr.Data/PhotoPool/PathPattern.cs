using System.Text.RegularExpressions;

namespace TsdSr.Data.PhotoPool;

/// <summary>
/// A relative path pattern with <c>*</c> wildcards inside segments (<c>usr/share/wallpapers/*/contents/images/2560x1600.jpg</c>).
/// A wildcard never crosses a <c>/</c>, so a pattern matches paths with exactly as many segments as it has. The
/// segments a wildcard matched are what name a photo (see <see cref="WildcardSegments"/>).
/// </summary>
public sealed class PathPattern
{
    private readonly string[] segments;
    private readonly Regex?[] wildcards;

    /// <summary>Parses a pattern.</summary>
    /// <exception cref="ArgumentException">Empty, rooted, or with empty, <c>.</c> or <c>..</c> segments.</exception>
    public PathPattern(string pattern)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        this.segments = pattern.Split('/');
        if (pattern.StartsWith('/') || this.segments.Any(s => s.Length == 0 || s is "." or ".."))
        {
            throw new ArgumentException($"Path pattern '{pattern}' must be relative, with no empty, '.' or '..' segments.", nameof(pattern));
        }

        wildcards = this.segments
            .Select(s => s.Contains('*', StringComparison.Ordinal)
                ? new Regex("^" + string.Join("[^/]*", s.Split('*').Select(Regex.Escape)) + "$", RegexOptions.CultureInvariant)
                : null)
            .ToArray();
        Text = pattern;
    }

    /// <summary>The pattern as written.</summary>
    public string Text { get; }

    /// <summary>The leading segments that hold no wildcard, joined with <c>/</c> (the folder to search from).</summary>
    public string LiteralPrefix => string.Join('/', this.segments.TakeWhile((_, i) => wildcards[i] is null && i < this.segments.Length - 1));

    /// <summary>Whether <paramref name="path"/> (separated by <c>/</c>) matches, case-sensitively.</summary>
    public bool IsMatch(string path) => WildcardSegments(path) is not null;

    /// <summary>
    /// The path's segments that the pattern's wildcard segments matched, in order, or null when it does not match.
    /// A matched last segment (the file name) is given without its extension.
    /// </summary>
    public IReadOnlyList<string>? WildcardSegments(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var parts = path.Split('/');
        if (parts.Length != this.segments.Length)
        {
            return null;
        }

        var matched = new List<string>();
        for (int i = 0; i < parts.Length; i++)
        {
            if (wildcards[i] is { } regex)
            {
                if (!regex.IsMatch(parts[i]))
                {
                    return null;
                }

                matched.Add(i == parts.Length - 1 ? Path.GetFileNameWithoutExtension(parts[i]) : parts[i]);
            }
            else if (!string.Equals(parts[i], this.segments[i], StringComparison.Ordinal))
            {
                return null;
            }
        }

        return matched;
    }

    /// <inheritdoc/>
    public override string ToString() => Text;
}
