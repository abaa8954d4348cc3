using TsdSr.Inference.ColorFix;
using TsdSr.Models.Autoencoders.Tiling;

namespace TsdSr.Inference;

/// <summary>
/// Per-image settings of an upscale: the one shape of them. Defaults reproduce the reference (<c>test_tsdsr.py</c>);
/// <see cref="Problems"/> holds every range. The pipeline takes them per call; <c>TsdSrOptions</c> holds one instance as
/// the defaults of a host, and <c>tsdsr upscale</c> builds one from its options.
/// </summary>
public sealed record UpscaleSettings
{
    /// <summary>Output / input size ratio, 1–16. Default 4 (the released weights are trained for ×4 only).</summary>
    public int Scale { get; init; } = 4;

    /// <summary>Inputs whose short side is below ProcessSize / Scale are enlarged first; 0–8192. Default 512.</summary>
    public int ProcessSize { get; init; } = 512;

    /// <summary>Colour fix. Default <see cref="ColorFixMode.Wavelet"/>.</summary>
    public ColorFixMode ColorFix { get; init; } = ColorFixMode.Wavelet;

    /// <summary>
    /// Transformer tile size in latent pixels, 8–1024. Null (default): the model's 512-pixel tile, 512 / VAE factor
    /// latent pixels (64 for SD3's 8× VAE, the reference's value; 128 for the 4× nano VAE).
    /// </summary>
    public int? LatentTileSize { get; init; }

    /// <summary>
    /// Transformer tile overlap in latent pixels, 0–1023 and below the tile size. Null (default): 64 pixels' worth,
    /// 64 / VAE factor latent pixels (8 for SD3, the reference's value; 16 for the nano VAE).
    /// </summary>
    public int? LatentTileOverlap { get; init; }

    /// <summary>Transformer tiles per forward pass, 1–64. Default 1 (the reference's order and arithmetic).</summary>
    public int LatentTileBatchSize { get; init; } = 1;

    /// <summary>VAE tiling. Default <see cref="VaeTilingMode.Auto"/>.</summary>
    public VaeTilingMode VaeTiling { get; init; } = VaeTilingMode.Auto;

    /// <summary>VAE encoder tile size in pixels, 64–8192. Default 1024 (the reference's).</summary>
    public int VaeEncoderTileSize { get; init; } = 1024;

    /// <summary>
    /// VAE decoder tile size in latent pixels, 8–1024. Default 64 (the reference uses 224; our tiling is exact at any
    /// size, and 64 needs a fifth of the RAM at the same speed).
    /// </summary>
    public int VaeDecoderTileSize { get; init; } = 64;

    /// <summary>
    /// Largest tiled-VAE feature map kept in RAM, in bytes; larger maps go to temporary files so memory stays bounded at
    /// any image size. 0 or more: 0 spills every map, <see cref="long.MaxValue"/> none. Default 256 MiB.
    /// </summary>
    public long VaeMaxInMemoryMapBytes { get; init; } = FeatureMapStorage.DefaultMaxInMemoryBytes;

    /// <summary>Folder for spilled VAE feature maps; null (default) is the system's temporary folder.</summary>
    public string? VaeSpillDirectory { get; init; }

    /// <summary>Null: use the posterior mean (deterministic, the default). A value: a posterior sample seeded with it.</summary>
    public long? Seed { get; init; }

    /// <summary>
    /// Largest width × height the model may work at (after the size rule: ×scale, small inputs enlarged first). The
    /// work, not the input, sets time and memory: a 3×1000 input is worked at 512×170664. At least 1. Default
    /// 268,435,456 (16384², the work size of the largest default input, 4096² at ×4).
    /// </summary>
    public long MaxProcessPixels { get; init; } = DefaultMaxProcessPixels;

    /// <summary>Largest long side / short side of the work size, 1–65536. Default 32.</summary>
    public double MaxAspectRatio { get; init; } = DefaultMaxAspectRatio;

    /// <summary>The default of <see cref="MaxProcessPixels"/>.</summary>
    public const long DefaultMaxProcessPixels = 16384L * 16384;

    /// <summary>The default of <see cref="MaxAspectRatio"/>.</summary>
    public const double DefaultMaxAspectRatio = 32;

    /// <summary>
    /// Every invalid setting, one line each naming the setting, its range and the value; empty when all are valid. The
    /// one place the ranges live: <see cref="Validate"/>, the hosting options (<c>TsdSrOptions</c>, whose defaults are
    /// these settings) and the command line all check through it.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        Range(problems, nameof(Scale), Scale, 1, 16);
        Range(problems, nameof(ProcessSize), ProcessSize, 0, 8192);
        if (LatentTileSize is { } size)
        {
            Range(problems, nameof(LatentTileSize), size, MinLatentTile, 1024);
        }

        if (LatentTileOverlap is { } overlap)
        {
            Range(problems, nameof(LatentTileOverlap), overlap, 0, 1023);
            if (LatentTileSize is { } tile && overlap >= tile)
            {
                problems.Add($"{nameof(LatentTileOverlap)} ({overlap}) must be smaller than {nameof(LatentTileSize)} ({tile}).");
            }
        }

        Range(problems, nameof(LatentTileBatchSize), LatentTileBatchSize, 1, 64);
        Range(problems, nameof(VaeEncoderTileSize), VaeEncoderTileSize, 64, 8192);
        Range(problems, nameof(VaeDecoderTileSize), VaeDecoderTileSize, 8, 1024);
        if (!Enum.IsDefined(ColorFix))
        {
            problems.Add($"{nameof(ColorFix)} must be wavelet, adain or none (got {ColorFix}).");
        }

        if (!Enum.IsDefined(VaeTiling))
        {
            problems.Add($"{nameof(VaeTiling)} must be auto, on or off (got {VaeTiling}).");
        }

        if (MaxProcessPixels < 1)
        {
            problems.Add(Invariant($"{nameof(MaxProcessPixels)} must be at least 1 (got {MaxProcessPixels})."));
        }

        if (!(MaxAspectRatio is >= 1 and <= 65536))
        {
            problems.Add(Invariant($"{nameof(MaxAspectRatio)} must be between 1 and 65536 (got {MaxAspectRatio})."));
        }

        try
        {
            VaeMapStorage.Validate();
        }
        catch (ArgumentException e)
        {
            problems.Add(e.Message);
        }

        return problems;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every invalid setting (<see cref="Problems"/>).</summary>
    public void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems));
        }
    }

    /// <summary>The latent tile size and overlap for a VAE with down-sampling factor <paramref name="vaeFactor"/>, defaults resolved.</summary>
    /// <exception cref="ArgumentException">The resolved overlap is not smaller than the resolved tile.</exception>
    public (int Size, int Overlap) LatentTiling(int vaeFactor)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vaeFactor);
        int size = LatentTileSize ?? Math.Max(MinLatentTile, DefaultTilePixels / vaeFactor);
        int overlap = LatentTileOverlap ?? DefaultOverlapPixels / vaeFactor;
        if (overlap >= size)
        {
            throw new ArgumentException($"The latent tile overlap ({overlap}) must be smaller than the tile ({size}).");
        }

        return (size, overlap);
    }

    /// <summary>
    /// The size rule for a <paramref name="width"/> × <paramref name="height"/> input, checked against
    /// <see cref="MaxProcessPixels"/> and <see cref="MaxAspectRatio"/>.
    /// </summary>
    /// <exception cref="ImageTooLargeException">The work size is over a limit; the message names the limit and the options that set it.</exception>
    /// <exception cref="ArgumentException">The input is too small for the scale.</exception>
    /// <param name="width">Input width.</param>
    /// <param name="height">Input height.</param>
    /// <param name="multiple">The VAE's down-sampling factor (8 for SD3, the reference's value; a check before the models load may assume it).</param>
    public Preprocessing.SizePlan PlanSize(int width, int height, int multiple = 8)
    {
        var plan = Preprocessing.SizePlan.Create(width, height, Scale, ProcessSize, multiple);
        long pixels = (long)plan.ProcessWidth * plan.ProcessHeight;
        double aspect = (double)Math.Max(plan.ProcessWidth, plan.ProcessHeight) / Math.Min(plan.ProcessWidth, plan.ProcessHeight);
        string work = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"A {width}x{height} input is worked at {plan.ProcessWidth}x{plan.ProcessHeight} ({pixels:N0} pixels, aspect ratio {aspect:0.##}:1)");
        if (aspect > MaxAspectRatio)
        {
            throw new ImageTooLargeException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{work}, over the aspect-ratio limit of {MaxAspectRatio:0.##} (MaxAspectRatio; tsdsr upscale --max-aspect-ratio)."));
        }

        if (pixels > MaxProcessPixels)
        {
            throw new ImageTooLargeException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{work}, over the limit of {MaxProcessPixels:N0} pixels (MaxProcessPixels; tsdsr upscale --max-process-pixels)."));
        }

        return plan;
    }

    /// <summary>The tiled VAE's map storage these settings describe.</summary>
    internal FeatureMapStorage VaeMapStorage => new() { MaxInMemoryBytes = VaeMaxInMemoryMapBytes, SpillDirectory = VaeSpillDirectory };

    // The reference's 64 / 8 latent pixels at SD3's factor 8, kept in pixels so that other VAEs tile the same image area.
    private const int DefaultTilePixels = 512;
    private const int DefaultOverlapPixels = 64;

    // The smallest transformer tile accepted, in latent pixels.
    private const int MinLatentTile = 8;

    private static void Range(List<string> problems, string name, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            problems.Add(Invariant($"{name} must be between {min} and {max} (got {value})."));
        }
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
