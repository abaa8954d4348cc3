namespace TsdSr.Data.PhotoPool.Building;

/// <summary>A photo a source matched, before exclusions are applied: its identity, output name, bytes and stated licence.</summary>
/// <param name="Source">The source that matched it.</param>
/// <param name="Key">Package, path and entry.</param>
/// <param name="Name">Output file stem (unique within the source).</param>
/// <param name="Bytes">The encoded image as stored in the package.</param>
/// <param name="StatedLicence">The licence the package states for it, or null when none was found.</param>
internal sealed record PhotoCandidate(PhotoSource Source, PhotoKey Key, string Name, byte[] Bytes, PhotoLicence? StatedLicence);
