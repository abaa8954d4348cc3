using TsdSr.Data.PhotoPool;
using TsdSr.Data.PhotoPool.Manifest;

namespace TsdSr.Tests.Data.PhotoPool.Manifest;

/// <summary>Manifest rows for tests.</summary>
internal static class ManifestRows
{
    public static PhotoManifestRow Row(string name, PhotoSplit split = PhotoSplit.Train, string source = "src", string? entry = null, PhotoLicence? licence = null) => new()
    {
        Split = split,
        Source = source,
        Key = new PhotoKey("pkg", $"usr/share/{name}.jpg", entry),
        Version = "1:2.0-1",
        File = $"{(split == PhotoSplit.Train ? "train" : "heldout")}/{source}/{name}.png",
        Width = 640,
        Height = 480,
        Scale = 0.5,
        Licence = licence ?? new PhotoLicence("CC0-1.0", "A. Photographer", "https://example.org/p"),
        SourceSha256 = new string('a', 63) + name.Length % 10,
        Sha256 = new string('b', 63) + name.Length % 10,
    };
}
