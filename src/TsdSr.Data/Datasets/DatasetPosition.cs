using System.Globalization;

namespace TsdSr.Data.Datasets;

/// <summary>
/// Where a <see cref="DegradedPairDataset"/> stream stands: the epoch, the images already visited in that epoch's
/// order (used or skipped), and the global index of the next sample. Every random draw of the dataset (order, crop,
/// flip, degradation) is a counter-based function of these numbers and the seed, so the position is the whole state:
/// a stream started at a saved position continues exactly as the original one. The default value is the start.
/// </summary>
/// <param name="Epoch">Current epoch (0-based).</param>
/// <param name="Position">Images of the current epoch's order already visited.</param>
/// <param name="Sample">Global index of the next sample (its crop and degradation counter).</param>
public readonly record struct DatasetPosition(int Epoch, int Position, long Sample)
{
    /// <summary>The start of a stream (epoch 0, nothing visited).</summary>
    public static DatasetPosition Start => default;

    /// <summary>Parses the <see cref="ToString"/> form "epoch:position:sample".</summary>
    /// <exception cref="ArgumentException">Not three non-negative integers separated by ':'.</exception>
    public static DatasetPosition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':');
        if (parts.Length != 3
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int epoch)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int position)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out long sample))
        {
            throw new ArgumentException($"'{text}' is not a dataset position 'epoch:position:sample' (three non-negative integers).", nameof(text));
        }

        return new DatasetPosition(epoch, position, sample);
    }

    /// <summary>Throws when the position cannot belong to a stream over <paramref name="imageCount"/> images.</summary>
    /// <exception cref="ArgumentException">Negative values, or a position beyond the epoch's length.</exception>
    public void Validate(int imageCount)
    {
        if (Epoch < 0 || Position < 0 || Sample < 0 || Position > imageCount)
        {
            throw new ArgumentException($"Dataset position {this} does not fit {imageCount} images (expected epoch >= 0, 0 <= position <= {imageCount}, sample >= 0).");
        }
    }

    /// <summary>"epoch:position:sample" (invariant culture), the form stored in checkpoints.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Epoch}:{Position}:{Sample}");
}
