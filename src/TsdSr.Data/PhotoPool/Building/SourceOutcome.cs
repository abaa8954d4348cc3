namespace TsdSr.Data.PhotoPool.Building;

/// <summary>A source's result in a build.</summary>
/// <param name="Source">The source.</param>
/// <param name="Status">Built, skipped or failed.</param>
/// <param name="Version">The package version used, when the package was found.</param>
public sealed record SourceOutcome(PhotoSource Source, SourceStatus Status, string? Version);
