namespace TsdSr.Data.Datasets;

/// <summary>How HR crops are taken.</summary>
public sealed record CropOptions
{
    /// <summary>Square crop size in pixels (default 512, a multiple of the scale).</summary>
    public int Size { get; init; } = 512;

    /// <summary>Flip horizontally with p = ½ (default true).</summary>
    public bool HorizontalFlip { get; init; } = true;

    /// <summary>Crops whose standard deviation (over all pixels and channels, [0, 1] units) is below this are flat and redrawn (default 0.02).</summary>
    public double MinStdDev { get; init; } = 0.02;

    /// <summary>Positions tried before an image is skipped as flat (default 8).</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>Throws <see cref="ArgumentException"/> on invalid settings.</summary>
    public CropOptions Validate(int scale)
    {
        if (Size < 16 || Size % scale != 0)
        {
            throw new ArgumentException($"Crop size {Size} must be at least 16 and a multiple of the scale {scale}.", nameof(Size));
        }

        if (!(MinStdDev >= 0) || MaxAttempts < 1)
        {
            throw new ArgumentException($"MinStdDev ({MinStdDev}) must be >= 0 and MaxAttempts ({MaxAttempts}) >= 1.");
        }

        return this;
    }
}
