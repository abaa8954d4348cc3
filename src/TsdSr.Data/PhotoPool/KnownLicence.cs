namespace TsdSr.Data.PhotoPool;

/// <summary>
/// A licence the package states somewhere its machine-readable metadata does not reach (a docstring, a misspelt
/// README entry), recorded by hand together with where it is stated. It takes precedence over the source's rule.
/// </summary>
/// <param name="Key">The photo.</param>
/// <param name="Licence">Its licence.</param>
/// <param name="StatedIn">Where the package states it.</param>
public sealed record KnownLicence(PhotoKey Key, PhotoLicence Licence, string StatedIn);
