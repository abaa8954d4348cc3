using TsdSr.Data.Degradation;

namespace TsdSr.Data.Runner;

/// <summary>Options of <see cref="DegradeRunner"/> (the <c>tsdsr degrade</c> command).</summary>
public sealed record DegradeOptions
{
    /// <summary>HR folder (scanned recursively for PNG, JPEG, WebP).</summary>
    public required string Input { get; init; }

    /// <summary>Output pair folder (gt/, lr_bicubic/, lr/).</summary>
    public required string Output { get; init; }

    /// <summary>Degradation preset (default OSEDiff). Its scale is replaced by <see cref="Scale"/>.</summary>
    public DegradationConfig Config { get; init; } = DegradationConfig.OSEDiff;

    /// <summary>HR crop size (default 512).</summary>
    public int CropSize { get; init; } = 512;

    /// <summary>Down-scaling factor, 4 (default) or 2.</summary>
    public int Scale { get; init; } = 4;

    /// <summary>Random crops (pairs) per image (default 1).</summary>
    public int PerImage { get; init; } = 1;

    /// <summary>Seed of crops and degradations (default 0).</summary>
    public ulong Seed { get; init; }

    /// <summary>Also write <c>preview.png</c>, a contact sheet of the first <see cref="PreviewPairs"/> pairs.</summary>
    public bool Preview { get; init; }

    /// <summary>Pairs on the contact sheet (default 4).</summary>
    public int PreviewPairs { get; init; } = 4;

    /// <summary>Tile size on the contact sheet (default 256).</summary>
    public int PreviewTileSize { get; init; } = 256;

    /// <summary>Also write the LR at its own size to <c>lr/</c> (default true).</summary>
    public bool WriteLr { get; init; } = true;

    /// <summary>Start again in a folder that already holds pairs: its pair files, manifest and preview are removed first (default false).</summary>
    public bool Overwrite { get; init; }

    /// <summary>
    /// Continue an interrupted run in a folder that already holds pairs: pairs whose files all exist are kept, the others
    /// are made. The folder's <c>degrade.json</c> must match these options and HR files (default false).
    /// </summary>
    public bool Resume { get; init; }
}
