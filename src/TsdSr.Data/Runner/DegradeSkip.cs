namespace TsdSr.Data.Runner;

/// <summary>An HR image that gave no pair, and why.</summary>
/// <param name="File">The image.</param>
/// <param name="Reason">Why: too small for the crop, flat everywhere, or unreadable (the decoder's message).</param>
/// <param name="Failed">True when the file could not be read (an error the user should see); false when it is merely unusable.</param>
public sealed record DegradeSkip(string File, string Reason, bool Failed);
