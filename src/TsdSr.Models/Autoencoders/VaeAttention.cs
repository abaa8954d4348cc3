using TorchSharp;
using TorchSharp.Modules;
using TsdSr.Models.Lora;
using static TorchSharp.torch;

namespace TsdSr.Models.Autoencoders;

/// <summary>
/// The VAE mid-block self-attention (diffusers <c>Attention</c> with a group norm, residual connection and
/// AttnProcessor2_0): tokens = pixels, GroupNorm over channels, q/k/v/out Linear layers with bias, SDPA with the default
/// 1/√head_dim scale, output added to the input. The VAE uses a single head of dimension = channels.
/// </summary>
public sealed class VaeAttention : nn.Module<Tensor, Tensor>
{
    private readonly long heads;
    private readonly GroupNorm group_norm;
    private readonly LoraLinear to_q;
    private readonly LoraLinear to_k;
    private readonly LoraLinear to_v;
    private readonly ModuleList<LoraLinear> to_out;

    /// <summary>Creates the layer.</summary>
    /// <param name="channels">Channels = query dimension = inner dimension.</param>
    /// <param name="groups">GroupNorm groups.</param>
    /// <param name="headDim">Head dimension (diffusers' <c>attention_head_dim</c>; equal to channels in the VAE).</param>
    public VaeAttention(long channels, long groups, long headDim)
        : base(nameof(VaeAttention))
    {
        if (headDim <= 0 || channels % headDim != 0)
        {
            throw new ArgumentException($"Channels ({channels}) must be a multiple of the head dimension ({headDim}).", nameof(headDim));
        }

        heads = channels / headDim;
        group_norm = VaeGroupNorm.Create(groups, channels);
        to_q = new LoraLinear(channels, channels);
        to_k = new LoraLinear(channels, channels);
        to_v = new LoraLinear(channels, channels);
        to_out = new ModuleList<LoraLinear>(new LoraLinear(channels, channels)); // to_out.1 is Dropout(0): no parameters.
        RegisterComponents();
    }

    /// <summary>The budget off the CPU when <see cref="ScoreBudgetBytes"/> is null: 256 MiB.</summary>
    public const long DefaultScoreBudgetBytes = 256L << 20;

    /// <summary>
    /// The most bytes one attention call's score matrix (queries × keys) may take; null (default) chooses: unbounded on
    /// the CPU, whose SDPA (a flash kernel in libtorch 2.10) never forms the matrix and is slower in chunks (measured:
    /// 17.9 s one call against 26.5 s in 256 MiB chunks for 16,384 tokens × 512, both +40–50 MiB peak, while the
    /// materialised matrix took +2,087 MiB), and <see cref="DefaultScoreBudgetBytes"/> elsewhere. Longer sequences are
    /// attended in chunks of queries, each against every key: exact (each query's softmax is over all keys; only the
    /// summation order inside the GEMMs can differ), and no matrix larger than the budget is formed even where SDPA
    /// falls back to its math path. At 2048² output the latent has 65,536 tokens: one fp32 score matrix is 16 GiB.
    /// </summary>
    public long? ScoreBudgetBytes { get; set; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        long b = input.shape[0], c = input.shape[1], h = input.shape[2], w = input.shape[3];
        var normed = group_norm.call(input);
        // Channels-last maps give the token matrix [B, HW, C] as a free view; NCHW ones keep the transposed view.
        bool channelsLast = ChannelsLast.Is(normed);
        var tokens = channelsLast ? normed.permute(0, 2, 3, 1).reshape(b, h * w, c) : normed.view(b, c, h * w).transpose(1, 2);
        var q = SplitHeads(to_q.call(tokens), b);
        var k = SplitHeads(to_k.call(tokens), b);
        var v = SplitHeads(to_v.call(tokens), b);
        var o = Attend(q, k, v, ScoreBudgetBytes ?? (input.device.type == DeviceType.CPU ? long.MaxValue : DefaultScoreBudgetBytes));
        o = o.transpose(1, 2).reshape(b, -1, c);
        o = to_out[0].call(o);
        o = channelsLast ? o.view(b, h, w, c).permute(0, 3, 1, 2) : o.transpose(-1, -2).reshape(b, c, h, w);
        return o.add(input).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// SDPA over [B, heads, N, d] in chunks of queries whose score matrix stays within <paramref name="budgetBytes"/>
    /// (one call when it fits). Exposed for benchmarks and tests.
    /// </summary>
    public static Tensor Attend(Tensor q, Tensor k, Tensor v, long budgetBytes)
    {
        long rows = q.shape[0] * q.shape[1], queries = q.shape[2], keys = k.shape[2];
        long perQuery = rows * keys * q.ElementSize;
        long chunk = Math.Max(1, budgetBytes / Math.Max(1, perQuery));
        if (chunk >= queries)
        {
            return nn.functional.scaled_dot_product_attention(q, k, v);
        }

        using var scope = NewDisposeScope();
        var output = empty_like(q);
        for (long start = 0; start < queries; start += chunk)
        {
            long length = Math.Min(chunk, queries - start);
            using var part = nn.functional.scaled_dot_product_attention(q.narrow(2, start, length), k, v);
            output.narrow(2, start, length).copy_(part);
        }

        return output.MoveToOuterDisposeScope();
    }

    private Tensor SplitHeads(Tensor x, long batch) => x.view(batch, -1, heads, x.shape[2] / heads).transpose(1, 2);
}
