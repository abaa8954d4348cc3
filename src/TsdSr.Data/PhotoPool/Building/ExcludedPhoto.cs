namespace TsdSr.Data.PhotoPool.Building;

/// <summary>A matched photo that an exclusion kept out of the pool.</summary>
/// <param name="Source">Source id.</param>
/// <param name="Key">The photo.</param>
/// <param name="Reason">The exclusion's reason.</param>
public sealed record ExcludedPhoto(string Source, PhotoKey Key, string Reason);
