namespace TsdSr.Data.PhotoPool;

/// <summary>A photo's licence and attribution.</summary>
/// <param name="Licence">An SPDX-style identifier (<c>CC0-1.0</c>, <c>CC-BY-SA-4.0</c>) or <c>public-domain</c>.</param>
/// <param name="Author">Author or copyright holder as the package states it; null when not stated.</param>
/// <param name="Origin">Where the original was published (URL), when the package says.</param>
public sealed record PhotoLicence(string Licence, string? Author = null, string? Origin = null)
{
    /// <summary>The licence recorded when a package states none for a file.</summary>
    public static PhotoLicence Unknown { get; } = new("unknown");
}
