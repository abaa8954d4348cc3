namespace TsdSr.Data.Runner;

/// <summary>Progress of <see cref="DegradeRunner"/>, reported after each HR image.</summary>
/// <param name="ImagesDone">HR images processed (including skipped ones).</param>
/// <param name="ImagesTotal">HR images found.</param>
/// <param name="PairsWritten">Pairs written so far.</param>
/// <param name="CurrentFile">The image just processed.</param>
public readonly record struct DegradeProgress(int ImagesDone, int ImagesTotal, long PairsWritten, string CurrentFile)
{
    /// <summary>Why the image gave no pair, or null.</summary>
    public DegradeSkip? Skip { get; init; }
}
