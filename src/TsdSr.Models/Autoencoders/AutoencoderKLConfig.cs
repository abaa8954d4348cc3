using TsdSr.Core.Configuration;
using TsdSr.Core.Files;

namespace TsdSr.Models.Autoencoders;

/// <summary>
/// Configuration of <see cref="AutoencoderKL"/>, field for field diffusers' <c>vae/config.json</c>. Defaults are
/// diffusers' constructor defaults (an SD1-style 4-channel VAE); shipped checkpoints always state their values.
/// </summary>
public sealed partial record AutoencoderKLConfig
{
    /// <summary>Image channels in (<c>in_channels</c>).</summary>
    public int InChannels { get; init; } = 3;

    /// <summary>Image channels out (<c>out_channels</c>).</summary>
    public int OutChannels { get; init; } = 3;

    /// <summary>Latent channels (<c>latent_channels</c>; 16 for SD3).</summary>
    public int LatentChannels { get; init; } = 4;

    /// <summary>Channels per resolution level, encoder order (<c>block_out_channels</c>).</summary>
    public IReadOnlyList<int> BlockOutChannels { get; init; } = [64];

    /// <summary>Encoder block types (<c>down_block_types</c>); only <c>DownEncoderBlock2D</c> exists in AutoencoderKL.</summary>
    public IReadOnlyList<string> DownBlockTypes { get; init; } = ["DownEncoderBlock2D"];

    /// <summary>Decoder block types (<c>up_block_types</c>); only <c>UpDecoderBlock2D</c>.</summary>
    public IReadOnlyList<string> UpBlockTypes { get; init; } = ["UpDecoderBlock2D"];

    /// <summary>Resnets per encoder block (<c>layers_per_block</c>); decoder blocks have one more.</summary>
    public int LayersPerBlock { get; init; } = 1;

    /// <summary>Activation (<c>act_fn</c>): silu/swish, mish, gelu or relu.</summary>
    public string ActFn { get; init; } = "silu";

    /// <summary>GroupNorm groups (<c>norm_num_groups</c>).</summary>
    public int NormNumGroups { get; init; } = 32;

    /// <summary>Nominal image size (<c>sample_size</c>; the first element when the config gives a list). Informational.</summary>
    public int SampleSize { get; init; } = 32;

    /// <summary>Latent scale (<c>scaling_factor</c>; 1.5305 for SD3). Applied by callers, never inside the model.</summary>
    public double ScalingFactor { get; init; } = 0.18215;

    /// <summary>Latent shift (<c>shift_factor</c>; 0.0609 for SD3, null for older VAEs). Applied by callers.</summary>
    public double? ShiftFactor { get; init; }

    /// <summary>Per-channel latent mean (<c>latents_mean</c>), or null.</summary>
    public IReadOnlyList<double>? LatentsMean { get; init; }

    /// <summary>Per-channel latent std (<c>latents_std</c>), or null.</summary>
    public IReadOnlyList<double>? LatentsStd { get; init; }

    /// <summary><c>force_upcast</c>: the VAE should run in fp32 (the SD3 pipeline ignores it). Informational.</summary>
    public bool ForceUpcast { get; init; } = true;

    /// <summary>Whether a 1×1 <c>quant_conv</c> follows the encoder (<c>use_quant_conv</c>; false for SD3).</summary>
    public bool UseQuantConv { get; init; } = true;

    /// <summary>Whether a 1×1 <c>post_quant_conv</c> precedes the decoder (<c>use_post_quant_conv</c>; false for SD3).</summary>
    public bool UsePostQuantConv { get; init; } = true;

    /// <summary>Whether the mid blocks have self-attention (<c>mid_block_add_attention</c>).</summary>
    public bool MidBlockAddAttention { get; init; } = true;

    /// <summary>The Stable Diffusion 3 / 3.5 VAE (<c>vae/config.json</c> of the official diffusers repositories).</summary>
    public static AutoencoderKLConfig Sd3 { get; } = new()
    {
        LatentChannels = 16,
        BlockOutChannels = [128, 256, 512, 512],
        DownBlockTypes = Enumerable.Repeat("DownEncoderBlock2D", 4).ToArray(),
        UpBlockTypes = Enumerable.Repeat("UpDecoderBlock2D", 4).ToArray(),
        LayersPerBlock = 2,
        NormNumGroups = 32,
        SampleSize = 1024,
        ScalingFactor = 1.5305,
        ShiftFactor = 0.0609,
        UseQuantConv = false,
        UsePostQuantConv = false,
    };

    /// <summary>The tiny random SD3-like VAE of the test fixture <c>sd3_vae_tiny</c>.</summary>
    public static AutoencoderKLConfig Tiny { get; } = Sd3 with
    {
        BlockOutChannels = [8, 16, 16],
        DownBlockTypes = Enumerable.Repeat("DownEncoderBlock2D", 3).ToArray(),
        UpBlockTypes = Enumerable.Repeat("UpDecoderBlock2D", 3).ToArray(),
        NormNumGroups = 4,
        SampleSize = 32,
    };

    /// <summary>
    /// TSD-SR-nano's VAE: a 4× autoencoder (three levels of 16/32/64 channels, one resnet per encoder level, no mid-block
    /// attention) with 8 latent channels, sized so that encoding and decoding a 512² image stays a fraction of a second
    /// on two CPU cores (docs/nano.md has the measurements). <see cref="ScalingFactor"/> and <see cref="ShiftFactor"/>
    /// here are placeholders: a trained nano VAE's <c>config.json</c> carries the values measured on its training latents.
    /// </summary>
    public static AutoencoderKLConfig Nano { get; } = Sd3 with
    {
        LatentChannels = 8,
        BlockOutChannels = [16, 32, 64],
        DownBlockTypes = Enumerable.Repeat("DownEncoderBlock2D", 3).ToArray(),
        UpBlockTypes = Enumerable.Repeat("UpDecoderBlock2D", 3).ToArray(),
        LayersPerBlock = 1,
        NormNumGroups = 8,
        SampleSize = 256,
        ScalingFactor = 1.0,
        ShiftFactor = 0.0,
        MidBlockAddAttention = false,
    };

    /// <summary>Spatial down-sampling factor image → latent: 2^(levels − 1) (8 for SD3).</summary>
    public int DownsampleFactor => 1 << (BlockOutChannels.Count - 1);

    /// <summary>The diffusers class name a VAE config declares.</summary>
    public const string ClassName = "AutoencoderKL";

    /// <summary>The keys this port reads; others are reported as warnings.</summary>
    public static IReadOnlyCollection<string> KnownKeys { get; } =
    [
        "in_channels", "out_channels", "latent_channels", "block_out_channels", "down_block_types", "up_block_types", "layers_per_block",
        "act_fn", "norm_num_groups", "sample_size", "scaling_factor", "shift_factor", "latents_mean", "latents_std", "force_upcast",
        "use_quant_conv", "use_post_quant_conv", "mid_block_add_attention",
    ];

    /// <summary>Parses diffusers' <c>config.json</c> text. Unknown keys are ignored (and reported); absent keys keep diffusers' defaults.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="source">Name used in error messages (usually the path).</param>
    /// <param name="warnings">Receives unknown keys and a wrong <c>_class_name</c> (see <see cref="DiffusersConfigKeys"/>); null ignores them.</param>
    /// <exception cref="FormatException">The JSON is invalid or a known key has the wrong type.</exception>
    public static AutoencoderKLConfig FromJson(string json, string source = "config.json", ICollection<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var doc = ConfigJson.Parse(json, source);
        foreach (var w in DiffusersConfigKeys.Check(doc.RootElement, ClassName, KnownKeys, source))
        {
            warnings?.Add(w);
        }

        var c = new AutoencoderKLConfig();
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            c = p.Name switch
            {
                "in_channels" => c with { InChannels = ConfigJson.Int(p, source) },
                "out_channels" => c with { OutChannels = ConfigJson.Int(p, source) },
                "latent_channels" => c with { LatentChannels = ConfigJson.Int(p, source) },
                "block_out_channels" => c with { BlockOutChannels = ConfigJson.IntArray(p, source) },
                "down_block_types" => c with { DownBlockTypes = ConfigJson.StringArray(p, source) },
                "up_block_types" => c with { UpBlockTypes = ConfigJson.StringArray(p, source) },
                "layers_per_block" => c with { LayersPerBlock = ConfigJson.Int(p, source) },
                "act_fn" => c with { ActFn = ConfigJson.String(p, source) },
                "norm_num_groups" => c with { NormNumGroups = ConfigJson.Int(p, source) },
                "sample_size" => c with
                {
                    SampleSize = p.Value.ValueKind == System.Text.Json.JsonValueKind.Array
                        ? ConfigJson.IntArray(p, source).FirstOrDefault()
                        : ConfigJson.Int(p, source),
                },
                "scaling_factor" => c with { ScalingFactor = ConfigJson.Double(p, source) },
                "shift_factor" => c with { ShiftFactor = ConfigJson.NullableDouble(p, source) },
                "latents_mean" => c with { LatentsMean = ConfigJson.NullableDoubleArray(p, source) },
                "latents_std" => c with { LatentsStd = ConfigJson.NullableDoubleArray(p, source) },
                "force_upcast" => c with { ForceUpcast = ConfigJson.Bool(p, source) },
                "use_quant_conv" => c with { UseQuantConv = ConfigJson.Bool(p, source) },
                "use_post_quant_conv" => c with { UsePostQuantConv = ConfigJson.Bool(p, source) },
                "mid_block_add_attention" => c with { MidBlockAddAttention = ConfigJson.Bool(p, source) },
                _ => c,
            };
        }

        return c;
    }

    /// <summary>Reads and parses a <c>config.json</c> file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="warnings">Receives unknown keys and a wrong <c>_class_name</c>; null ignores them.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="FormatException">The JSON is invalid or a known key has the wrong type.</exception>
    public static AutoencoderKLConfig FromFile(string path, ICollection<string>? warnings = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"VAE config not found: '{Path.GetFullPath(path)}'.", path);
        }

        return FromJson(RegularFile.ReadSmallText(path, "VAE config"), path, warnings);
    }

    /// <summary>Checks that the values describe a buildable AutoencoderKL.</summary>
    /// <exception cref="ArgumentException">A value is out of range or inconsistent.</exception>
    public void Validate()
    {
        Require(InChannels > 0 && OutChannels > 0 && LatentChannels > 0, "in_channels, out_channels and latent_channels must be positive");
        Require(BlockOutChannels.Count > 0 && BlockOutChannels.All(c => c > 0), "block_out_channels must be a non-empty list of positive integers");
        Require(DownBlockTypes.Count == BlockOutChannels.Count, $"down_block_types has {DownBlockTypes.Count} entries, block_out_channels {BlockOutChannels.Count}");
        Require(UpBlockTypes.Count == BlockOutChannels.Count, $"up_block_types has {UpBlockTypes.Count} entries, block_out_channels {BlockOutChannels.Count}");
        Require(DownBlockTypes.All(t => t == "DownEncoderBlock2D"), $"unsupported down_block_types [{string.Join(", ", DownBlockTypes)}] (only DownEncoderBlock2D)");
        Require(UpBlockTypes.All(t => t == "UpDecoderBlock2D"), $"unsupported up_block_types [{string.Join(", ", UpBlockTypes)}] (only UpDecoderBlock2D)");
        Require(LayersPerBlock > 0, $"layers_per_block must be positive, got {LayersPerBlock}");
        Require(NormNumGroups > 0 && BlockOutChannels.All(c => c % NormNumGroups == 0), $"every block_out_channels entry must be divisible by norm_num_groups ({NormNumGroups})");
        Require(VaeActivation.IsSupported(ActFn), $"unsupported act_fn '{ActFn}' (silu, swish, mish, gelu, relu)");
        Require(double.IsFinite(ScalingFactor) && ScalingFactor != 0, $"scaling_factor must be finite and non-zero, got {ScalingFactor}");
    }

    /// <inheritdoc />
    public bool Equals(AutoencoderKLConfig? other) =>
        other is not null
        && InChannels == other.InChannels && OutChannels == other.OutChannels && LatentChannels == other.LatentChannels
        && BlockOutChannels.SequenceEqual(other.BlockOutChannels)
        && DownBlockTypes.SequenceEqual(other.DownBlockTypes) && UpBlockTypes.SequenceEqual(other.UpBlockTypes)
        && LayersPerBlock == other.LayersPerBlock && ActFn == other.ActFn && NormNumGroups == other.NormNumGroups
        && SampleSize == other.SampleSize && ScalingFactor.Equals(other.ScalingFactor) && Nullable.Equals(ShiftFactor, other.ShiftFactor)
        && SameOrBothNull(LatentsMean, other.LatentsMean) && SameOrBothNull(LatentsStd, other.LatentsStd)
        && ForceUpcast == other.ForceUpcast && UseQuantConv == other.UseQuantConv && UsePostQuantConv == other.UsePostQuantConv
        && MidBlockAddAttention == other.MidBlockAddAttention;

    /// <inheritdoc />
    public override int GetHashCode() =>
        HashCode.Combine(LatentChannels, string.Join(",", BlockOutChannels), LayersPerBlock, NormNumGroups, ScalingFactor, ShiftFactor, UseQuantConv, UsePostQuantConv);

    private static bool SameOrBothNull(IReadOnlyList<double>? a, IReadOnlyList<double>? b) =>
        a is null ? b is null : b is not null && a.SequenceEqual(b);

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"Invalid AutoencoderKL config: {message}.");
        }
    }
}
