using System.Text.Json.Serialization;

namespace TsdSr.Training.Checkpoints;

/// <summary>
/// <c>manifest.json</c>, written last into a checkpoint: every other file with its size and SHA-256, so that a
/// truncated or altered checkpoint is detected before anything is loaded from it.
/// </summary>
public sealed record CheckpointManifest
{
    /// <summary>Format version (1).</summary>
    [JsonPropertyName("format_version")]
    public int FormatVersion { get; init; } = 1;

    /// <summary>The global step.</summary>
    [JsonPropertyName("global_step")]
    public long GlobalStep { get; init; }

    /// <summary>UTC time of the save (ISO 8601).</summary>
    [JsonPropertyName("saved_utc")]
    public string SavedUtc { get; init; } = string.Empty;

    /// <summary>The files.</summary>
    [JsonPropertyName("files")]
    public IReadOnlyList<CheckpointFileEntry> Files { get; init; } = [];
}

/// <summary>One file of a checkpoint.</summary>
/// <param name="Name">File name inside the checkpoint folder.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Sha256">Lower-case hex SHA-256.</param>
public sealed record CheckpointFileEntry(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("sha256")] string Sha256);
