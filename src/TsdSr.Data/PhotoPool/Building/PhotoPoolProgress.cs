namespace TsdSr.Data.PhotoPool.Building;

/// <summary>Reported after each matched photo.</summary>
/// <param name="Source">Source id.</param>
/// <param name="Key">The photo.</param>
/// <param name="Outcome">One word: <c>written</c>, <c>kept</c> (unchanged from the last build), <c>excluded</c> or <c>failed</c>.</param>
public sealed record PhotoPoolProgress(string Source, PhotoKey Key, string Outcome);
