namespace TsdSr.Cli.Commands;

/// <summary>The parsed arguments of <c>tsdsr photos</c>.</summary>
internal sealed record PhotosRequest(string Extracted, string Output, string? Manifest, bool Verify, bool Optional, IReadOnlyList<string> Evaluation, string? ContactSheets);
