namespace TsdSr.Data.PhotoPool.Manifest;

/// <summary>One difference between an expected and a built manifest.</summary>
/// <param name="Key">The photo.</param>
/// <param name="Kind">Missing, unexpected or changed.</param>
/// <param name="Detail">For changes, each differing column as <c>column: expected → built</c>.</param>
public sealed record ManifestDifference(PhotoKey Key, ManifestDifferenceKind Kind, string Detail)
{
    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        ManifestDifferenceKind.Missing => $"missing     {Key}",
        ManifestDifferenceKind.Unexpected => $"unexpected  {Key}",
        _ => $"changed     {Key}: {Detail}",
    };
}
