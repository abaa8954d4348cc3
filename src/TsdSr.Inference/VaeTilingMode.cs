namespace TsdSr.Inference;

/// <summary>Whether the VAE runs tile by tile.</summary>
public enum VaeTilingMode
{
    /// <summary>Tile when the image is larger than one tile (bounded memory at any size).</summary>
    Auto,

    /// <summary>Always tile.</summary>
    On,

    /// <summary>Never tile: the reference's default; memory grows with the image.</summary>
    Off,
}
