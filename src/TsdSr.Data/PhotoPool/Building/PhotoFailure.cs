namespace TsdSr.Data.PhotoPool.Building;

/// <summary>A photo, or a whole source, that could not be built.</summary>
/// <param name="Source">Source id.</param>
/// <param name="Key">The photo; null when the whole source failed (package missing, archive unreadable).</param>
/// <param name="Message">What went wrong.</param>
public sealed record PhotoFailure(string Source, PhotoKey? Key, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => Key is { } key ? $"{Source}: {key}: {Message}" : $"{Source}: {Message}";
}
