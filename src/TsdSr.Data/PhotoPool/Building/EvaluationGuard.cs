using TsdSr.Imaging;

namespace TsdSr.Data.PhotoPool.Building;

/// <summary>
/// Keeps evaluation images out of the pool. It holds the SHA-256 of every image file under the given folders (the
/// RealSR crops the metrics are reported on) and of their decoded pixels; a pool photo whose original bytes, written
/// PNG, or pixels (before or after downscaling) hash the same is refused.
/// </summary>
public sealed class EvaluationGuard
{
    private readonly Dictionary<string, string> fileHashes;
    private readonly Dictionary<string, string> pixelHashes;

    private EvaluationGuard(Dictionary<string, string> fileHashes, Dictionary<string, string> pixelHashes)
    {
        this.fileHashes = fileHashes;
        this.pixelHashes = pixelHashes;
    }

    /// <summary>A guard that refuses nothing.</summary>
    public static EvaluationGuard None { get; } = new([], []);

    /// <summary>Number of evaluation images held.</summary>
    public int Count => this.fileHashes.Count;

    /// <summary>Hashes every image (by extension, recursively) under the folders.</summary>
    /// <exception cref="DirectoryNotFoundException">A folder does not exist.</exception>
    /// <exception cref="ImageFormatException">An evaluation image cannot be decoded.</exception>
    public static EvaluationGuard FromFolders(IEnumerable<string> folders)
    {
        ArgumentNullException.ThrowIfNull(folders);
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var pixels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            if (!Directory.Exists(folder))
            {
                throw new DirectoryNotFoundException($"Evaluation image folder not found: '{Path.GetFullPath(folder)}'.");
            }

            var images = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(f => ImageCodec.SupportedExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .Order(StringComparer.Ordinal);
            foreach (var file in images)
            {
                files.TryAdd(PoolImage.Sha256File(file), file);
                pixels.TryAdd(PoolImage.PixelSha256(ImageCodec.Load(file)), file);
            }
        }

        return new EvaluationGuard(files, pixels);
    }

    /// <summary>The evaluation file with the same bytes (by SHA-256 hex), or null.</summary>
    public string? MatchFile(string sha256) => this.fileHashes.GetValueOrDefault(sha256);

    /// <summary>The evaluation file with the same decoded pixels, or null.</summary>
    public string? MatchPixels(RgbImage image) => this.pixelHashes.GetValueOrDefault(PoolImage.PixelSha256(image));
}
