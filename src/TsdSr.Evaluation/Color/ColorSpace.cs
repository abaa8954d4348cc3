namespace TsdSr.Evaluation.Color;

/// <summary>Which channel(s) a pixel metric is computed on, with pyiqa's names.</summary>
public enum ColorSpace
{
    /// <summary>Y of BT.601 "MATLAB" YCbCr (16..235): what SR papers use for PSNR/SSIM (pyiqa <c>color_space='ycbcr'</c>).</summary>
    YCbCr,

    /// <summary>Y of YIQ (0.299R + 0.587G + 0.114B, full range): pyiqa's default "Y channel" and what NIQE uses.</summary>
    Yiq,

    /// <summary>All three RGB channels (pyiqa <c>psnr</c> without Y, <c>ssimc</c>).</summary>
    Rgb,
}
