namespace TsdSr.Inference;

/// <summary>The stage an upscale is in, for progress reports.</summary>
public enum TsdSrStage
{
    /// <summary>Loading weights.</summary>
    Loading,

    /// <summary>Decoding the input and resizing it to the process size.</summary>
    Preprocessing,

    /// <summary>VAE encoder (with its LoRA), possibly tile by tile.</summary>
    Encoding,

    /// <summary>The one transformer step, tile by tile.</summary>
    Transformer,

    /// <summary>VAE decoder, possibly tile by tile.</summary>
    Decoding,

    /// <summary>Resize back and colour fix.</summary>
    ColorFix,

    /// <summary>The image is finished.</summary>
    Done,
}
