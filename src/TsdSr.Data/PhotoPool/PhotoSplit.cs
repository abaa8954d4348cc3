namespace TsdSr.Data.PhotoPool;

/// <summary>Which part of the pool a photo belongs to.</summary>
public enum PhotoSplit
{
    /// <summary>Used for training (written under <c>train/</c>).</summary>
    Train,

    /// <summary>Never used for training (written under <c>heldout/</c>); for validation and samples.</summary>
    Heldout,
}
