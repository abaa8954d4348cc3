using System.Text.RegularExpressions;

namespace TsdSr.Models.Lora;

/// <summary>
/// A PEFT <c>LoraConfig</c>: which layers get an adapter and with which rank, alpha and initialisation. Target
/// matching follows PEFT: a module is targeted when its full name equals a target or ends with <c>"." + target</c>
/// (or, with <see cref="TargetModulesRegex"/>, when the regex matches the whole name).
/// </summary>
public sealed record LoraConfig
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Default rank r (PEFT's <c>r</c>; PEFT's default is 8).</summary>
    public int Rank { get; init; } = 8;

    /// <summary>Default alpha (PEFT's <c>lora_alpha</c>; PEFT's default is 8).</summary>
    public double Alpha { get; init; } = 8;

    /// <summary>Target module names (PEFT's <c>target_modules</c> list).</summary>
    public IReadOnlyList<string> TargetModules { get; init; } = [];

    /// <summary>PEFT's string form of <c>target_modules</c>: a regex that must match the whole module name.</summary>
    public string? TargetModulesRegex { get; init; }

    /// <summary>Per-module ranks (PEFT's <c>rank_pattern</c>; keys match like targets, else as a suffix regex).</summary>
    public IReadOnlyDictionary<string, int> RankPattern { get; init; } = new Dictionary<string, int>();

    /// <summary>Per-module alphas (PEFT's <c>alpha_pattern</c>).</summary>
    public IReadOnlyDictionary<string, double> AlphaPattern { get; init; } = new Dictionary<string, double>();

    /// <summary>Rank-stabilised LoRA: scaling α/√r instead of α/r.</summary>
    public bool UseRsLora { get; init; }

    /// <summary>Initialisation of new adapters.</summary>
    public LoraInit Init { get; init; } = LoraInit.Default;

    /// <summary>Give B a bias (PEFT's <c>lora_bias</c>).</summary>
    public bool LoraBias { get; init; }

    /// <summary>TSD-SR's transformer LoRA (student and teacher): r = α = 64, gaussian init (the official TSD-SR release).</summary>
    public static LoraConfig TsdSrTransformer { get; } = new()
    {
        Rank = 64,
        Alpha = 64,
        Init = LoraInit.Gaussian,
        TargetModules = ["to_k", "to_q", "to_v", "to_out.0", "add_q_proj", "add_k_proj", "add_v_proj", "proj", "linear", "proj_out"],
    };

    /// <summary>TSD-SR's VAE-encoder LoRA: r = α = 64, gaussian init, the 31 encoder layers (the official TSD-SR release).</summary>
    public static LoraConfig TsdSrVaeEncoder { get; } = new()
    {
        Rank = 64,
        Alpha = 64,
        Init = LoraInit.Gaussian,
        TargetModules = BuildVaeEncoderTargets(),
    };

    /// <summary>Whether PEFT would put an adapter on the module of that full name.</summary>
    public bool Matches(string moduleName)
    {
        ArgumentNullException.ThrowIfNull(moduleName);
        if (TargetModulesRegex is not null)
        {
            return Regex.IsMatch(moduleName, $"^(?:{TargetModulesRegex})$", RegexOptions.None, RegexTimeout);
        }

        return TargetModules.Any(t => NameMatches(moduleName, t));
    }

    /// <summary>The rank of the adapter on that module (<see cref="RankPattern"/>, else <see cref="Rank"/>).</summary>
    public int RankFor(string moduleName) => PatternValue(RankPattern, moduleName, Rank);

    /// <summary>The alpha of the adapter on that module (<see cref="AlphaPattern"/>, else <see cref="Alpha"/>).</summary>
    public double AlphaFor(string moduleName) => PatternValue(AlphaPattern, moduleName, Alpha);

    /// <summary>PEFT's scaling of the adapter on that module: α/r, or α/√r with rsLoRA.</summary>
    public double ScalingFor(string moduleName)
    {
        var r = RankFor(moduleName);
        var a = AlphaFor(moduleName);
        return UseRsLora ? a / Math.Sqrt(r) : a / r;
    }

    /// <summary>PEFT's rule: the name equals the target or ends with "." + target.</summary>
    public static bool NameMatches(string moduleName, string target) =>
        moduleName == target || moduleName.EndsWith("." + target, StringComparison.Ordinal);

    // PEFT's get_pattern_key treats keys as regexes matched against a suffix ("(.*\.)?(key)$"). Literal names are
    // tried first so that dots in full module paths cannot match the wrong block.
    private static T PatternValue<T>(IReadOnlyDictionary<string, T> pattern, string moduleName, T fallback)
    {
        if (pattern.Count == 0)
        {
            return fallback;
        }

        foreach (var (key, value) in pattern)
        {
            if (NameMatches(moduleName, key))
            {
                return value;
            }
        }

        foreach (var (key, value) in pattern)
        {
            if (Regex.IsMatch(moduleName, $"^(?:.*\\.)?(?:{key})$", RegexOptions.None, RegexTimeout))
            {
                return value;
            }
        }

        return fallback;
    }

    private static string[] BuildVaeEncoderTargets()
    {
        var list = new List<string> { "encoder.conv_in" };
        for (int b = 0; b < 4; b++)
        {
            for (int r = 0; r < 2; r++)
            {
                list.Add($"encoder.down_blocks.{b}.resnets.{r}.conv1");
                list.Add($"encoder.down_blocks.{b}.resnets.{r}.conv2");
            }
        }

        list.Add("encoder.down_blocks.1.resnets.0.conv_shortcut");
        list.Add("encoder.down_blocks.2.resnets.0.conv_shortcut");
        for (int b = 0; b < 3; b++)
        {
            list.Add($"encoder.down_blocks.{b}.downsamplers.0.conv");
        }

        list.AddRange(["encoder.mid_block.attentions.0.to_q", "encoder.mid_block.attentions.0.to_k", "encoder.mid_block.attentions.0.to_v", "encoder.mid_block.attentions.0.to_out.0"]);
        for (int r = 0; r < 2; r++)
        {
            list.Add($"encoder.mid_block.resnets.{r}.conv1");
            list.Add($"encoder.mid_block.resnets.{r}.conv2");
        }

        list.Add("encoder.conv_out");
        list.Add("quant_conv");
        return [.. list];
    }
}
