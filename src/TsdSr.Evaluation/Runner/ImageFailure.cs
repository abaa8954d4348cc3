namespace TsdSr.Evaluation.Runner;

/// <summary>An image that could not be evaluated, and why; the other images go on.</summary>
/// <param name="Name">File name (the pairing key).</param>
/// <param name="Reason">What went wrong, naming the file (corrupt, truncated, empty, over the size limit, sizes differ, …).</param>
public sealed record ImageFailure(string Name, string Reason);
