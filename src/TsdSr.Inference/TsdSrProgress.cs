namespace TsdSr.Inference;

/// <summary>A progress report of an upscale.</summary>
/// <param name="Stage">Current stage.</param>
/// <param name="Current">Units done in this stage (e.g. tiles).</param>
/// <param name="Total">Units in this stage.</param>
/// <param name="Elapsed">Time since the upscale of this image started.</param>
/// <param name="ImageName">The image being processed, when known (folder runs).</param>
public readonly record struct TsdSrProgress(TsdSrStage Stage, int Current, int Total, TimeSpan Elapsed, string? ImageName = null);
