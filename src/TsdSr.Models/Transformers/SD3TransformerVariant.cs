using System.Globalization;
using System.Text.RegularExpressions;

namespace TsdSr.Models.Transformers;

/// <summary>
/// The architecture variant a checkpoint implies, read from its key names alone (as candle does): SD3.5's MMDiT-X
/// blocks have <c>attn2.to_q.weight</c>, qk-norm checkpoints have <c>attn.norm_q.weight</c>.
/// </summary>
/// <param name="DualAttentionLayers">Sorted indices of blocks with <c>attn2</c>.</param>
/// <param name="QkNorm"><see cref="SD3TransformerConfig.RmsNorm"/> when qk-norm weights exist, otherwise null.</param>
public sealed partial record SD3TransformerVariant(IReadOnlyList<int> DualAttentionLayers, string? QkNorm)
{
    /// <summary>Detects the variant from state-dict keys (an optional prefix such as <c>transformer.</c> is allowed).</summary>
    public static SD3TransformerVariant Detect(IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var dual = new SortedSet<int>();
        var qkNorm = false;
        foreach (var key in keys)
        {
            var match = BlockKey().Match(key);
            if (!match.Success)
            {
                continue;
            }

            switch (match.Groups[2].Value)
            {
                case "attn2.to_q.weight":
                    dual.Add(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
                    break;
                case "attn.norm_q.weight":
                    qkNorm = true;
                    break;
            }
        }

        return new SD3TransformerVariant(dual.ToArray(), qkNorm ? SD3TransformerConfig.RmsNorm : null);
    }

    /// <summary>True when <paramref name="config"/> declares this variant.</summary>
    public bool Matches(SD3TransformerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.QkNorm == QkNorm && config.DualAttentionLayers.Order().SequenceEqual(DualAttentionLayers);
    }

    /// <inheritdoc />
    public bool Equals(SD3TransformerVariant? other) =>
        other is not null && QkNorm == other.QkNorm && DualAttentionLayers.SequenceEqual(other.DualAttentionLayers);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(DualAttentionLayers.Count, QkNorm);

    /// <inheritdoc />
    public override string ToString() =>
        $"dual_attention_layers [{string.Join(", ", DualAttentionLayers)}], qk_norm {QkNorm ?? "null"}";

    [GeneratedRegex(@"(?:^|\.)transformer_blocks\.(\d+)\.(attn2\.to_q\.weight|attn\.norm_q\.weight)$", RegexOptions.CultureInvariant)]
    private static partial Regex BlockKey();
}
