using System.Text.Json.Serialization;

namespace TsdSr.Training.Checkpoints;

/// <summary><c>state.json</c>: the global step, generator states (base64) and extra values.</summary>
public sealed record CheckpointState
{
    /// <summary>The global step.</summary>
    [JsonPropertyName("global_step")]
    public long GlobalStep { get; init; }

    /// <summary>Generator states by name, base64.</summary>
    [JsonPropertyName("generators")]
    public Dictionary<string, string> Generators { get; init; } = [];

    /// <summary>Extra values.</summary>
    [JsonPropertyName("extra")]
    public Dictionary<string, string> Extra { get; init; } = [];
}
