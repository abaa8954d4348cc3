using TorchSharp;

namespace TsdSr.Models.Autoencoders.Tiling;

/// <summary>
/// Where the tiled VAE keeps its full-size feature maps between layers. Maps up to <see cref="MaxInMemoryBytes"/> stay
/// in memory (on the store device); larger ones go to a temporary file in <see cref="SpillDirectory"/>, so peak RAM is
/// bounded by the tile size and this limit instead of growing with the image (docs/inference.md, "VAE memory").
/// </summary>
public sealed record FeatureMapStorage
{
    /// <summary>Default in-memory limit per map: 256 MiB (a 512² output's largest map is 128 MiB in fp32).</summary>
    public const long DefaultMaxInMemoryBytes = 256L << 20;

    /// <summary>Every map in memory, whatever its size (memory then grows with the image).</summary>
    public static FeatureMapStorage InMemory { get; } = new() { MaxInMemoryBytes = long.MaxValue };

    /// <summary>Largest map kept in memory, in bytes; larger maps are spilled to disk. 0 spills every map. Default 256 MiB.</summary>
    public long MaxInMemoryBytes { get; init; } = DefaultMaxInMemoryBytes;

    /// <summary>Folder for spilled maps; null (default) is the system's temporary folder. Files are removed when done.</summary>
    public string? SpillDirectory { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> when a value is invalid.</summary>
    public void Validate()
    {
        if (MaxInMemoryBytes < 0)
        {
            throw new ArgumentException($"MaxInMemoryBytes must not be negative (got {MaxInMemoryBytes}).");
        }

        if (SpillDirectory is { } dir && string.IsNullOrWhiteSpace(dir))
        {
            throw new ArgumentException("SpillDirectory must be null (the temporary folder) or a folder path, not blank.");
        }
    }

    internal FeatureMap Create(long channels, long height, long width, torch.ScalarType dtype, torch.Device device)
    {
        long bytes = FeatureMap.SizeInBytes(channels, height, width, dtype);
        return bytes <= MaxInMemoryBytes
            ? TensorFeatureMap.Allocate(channels, height, width, dtype, device)
            : DiskFeatureMap.Create(SpillDirectory ?? Path.GetTempPath(), channels, height, width, dtype);
    }
}
