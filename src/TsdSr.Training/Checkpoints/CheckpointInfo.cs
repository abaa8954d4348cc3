namespace TsdSr.Training.Checkpoints;

/// <summary>A checkpoint that was saved or resumed from.</summary>
/// <param name="Path">The checkpoint folder.</param>
/// <param name="GlobalStep">Its global step.</param>
public sealed record CheckpointInfo(string Path, long GlobalStep);
