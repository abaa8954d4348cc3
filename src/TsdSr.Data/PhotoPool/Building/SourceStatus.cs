namespace TsdSr.Data.PhotoPool.Building;

/// <summary>What happened to a source in a build.</summary>
public enum SourceStatus
{
    /// <summary>Its package was found and its photos were processed (some may have failed).</summary>
    Built,

    /// <summary>An optional source that was not asked for (<see cref="PhotoPoolOptions.IncludeOptional"/>) or whose package was not extracted; skipped without error.</summary>
    Skipped,

    /// <summary>A required source whose package was not extracted, or whose archive could not be read.</summary>
    Failed,
}
