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
    /// The most bytes one attention call's score matrix (queries × keys) may take; null (default) chooses: for SDPA,
    /// unbounded on the CPU, whose SDPA (a flash kernel in libtorch 2.10) never forms the matrix and is slower in chunks (measured:
    /// 17.9 s one call against 26.5 s in 256 MiB chunks for 16,384 tokens × 512, both +40–50 MiB peak, while the
    /// materialised matrix took +2,087 MiB), and <see cref="DefaultScoreBudgetBytes"/> elsewhere. Longer sequences are
    /// attended in chunks of queries, each against every key: exact (each query's softmax is over all keys; only the
    /// summation order inside the GEMMs can differ), and no matrix larger than the budget is formed even where SDPA
    /// falls back to its math path. At 2048² output the latent has 65,536 tokens: one fp32 score matrix is 16 GiB. The
    /// explicit product (<see cref="ExplicitBFloat16OnCpu"/>) always forms its matrices, so null means
    /// <see cref="DefaultScoreBudgetBytes"/> there.
    /// </summary>
    public long? ScoreBudgetBytes { get; set; }

    /// <summary>
    /// Whether bf16 attention on the CPU computes the explicit product (scores, softmax, weighted sum) in query chunks
    /// whose score matrix stays within <see cref="ScoreBudgetBytes"/> (<see cref="DefaultScoreBudgetBytes"/> when null;
    /// the softmax briefly holds two such matrices) instead of SDPA. Default true: libtorch 2.10's CPU SDPA computes
    /// bf16 at fp32 speed where the CPU has no AMX, while the explicit product runs on oneDNN's bf16 GEMMs. Measured on
    /// a Zen 4 EPYC, one head × 512: 1.6–2.2× faster at 4,096 tokens (512² image) and 1.6× at 16,384 (1024²); largest
    /// errors against fp64 1.7e-3 and 8.3e-4, against SDPA's 7.3e-4 and 3.1e-4, all below bf16's spacing of 7.8e-3 at
    /// 1. This is the order of operations of diffusers' classic attention processor. Other dtypes and devices always
    /// use SDPA.
    /// </summary>
    public bool ExplicitBFloat16OnCpu { get; set; } = true;

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
        bool cpu = input.device.type == DeviceType.CPU;
        var o = UsesExplicitProduct(q)
            ? AttendExplicit(q, k, v, ScoreBudgetBytes ?? DefaultScoreBudgetBytes)
            : Attend(q, k, v, ScoreBudgetBytes ?? (cpu ? long.MaxValue : DefaultScoreBudgetBytes));
        o = o.transpose(1, 2).reshape(b, -1, c);
        o = to_out[0].call(o);
        o = channelsLast ? o.view(b, h, w, c).permute(0, 3, 1, 2) : o.transpose(-1, -2).reshape(b, c, h, w);
        return o.add(input).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// SDPA over [B, heads, N, d] in chunks of queries whose score matrix stays within <paramref name="budgetBytes"/>
    /// (one call when it fits). Exposed for benchmarks and tests.
    /// </summary>
    public static Tensor Attend(Tensor q, Tensor k, Tensor v, long budgetBytes) =>
        InQueryChunks(q, k, v, budgetBytes, static (qc, kc, vc) => nn.functional.scaled_dot_product_attention(qc, kc, vc));

    /// <summary>
    /// The explicit product <c>softmax(q kᵀ / √d) v</c> over [B, heads, N, d] in chunks of queries whose score matrix
    /// stays within <paramref name="budgetBytes"/>; the path <see cref="ExplicitBFloat16OnCpu"/> selects. Exposed for
    /// benchmarks and tests.
    /// </summary>
    public static Tensor AttendExplicit(Tensor q, Tensor k, Tensor v, long budgetBytes) =>
        InQueryChunks(q, k, v, budgetBytes, static (qc, kc, vc) =>
        {
            Tensor weights;
            using (var kt = kc.transpose(-2, -1))
            using (var scores = matmul(qc, kt).mul_(1.0 / Math.Sqrt(qc.shape[^1])))
            {
                weights = scores.softmax(-1);
            }

            using (weights)
            {
                return matmul(weights, vc);
            }
        });

    /// <summary>Whether attention over <paramref name="q"/> takes the explicit product (see <see cref="ExplicitBFloat16OnCpu"/>).</summary>
    internal bool UsesExplicitProduct(Tensor q) =>
        ExplicitBFloat16OnCpu && q.device.type == DeviceType.CPU && q.dtype == ScalarType.BFloat16;

    /// <summary>Queries per call so that one call's score matrix ([B, heads, queries, keys]) fits the budget; at least one.</summary>
    internal static long QueriesPerCall(Tensor q, Tensor k, long budgetBytes)
    {
        long perQuery = q.shape[0] * q.shape[1] * k.shape[2] * q.ElementSize;
        return Math.Max(1, budgetBytes / Math.Max(1, perQuery));
    }

    private static Tensor InQueryChunks(Tensor q, Tensor k, Tensor v, long budgetBytes, Func<Tensor, Tensor, Tensor, Tensor> attend)
    {
        long queries = q.shape[2];
        long chunk = QueriesPerCall(q, k, budgetBytes);
        if (chunk >= queries)
        {
            return attend(q, k, v);
        }

        using var scope = NewDisposeScope();
        var output = empty_like(q);
        for (long start = 0; start < queries; start += chunk)
        {
            long length = Math.Min(chunk, queries - start);
            using var part = attend(q.narrow(2, start, length), k, v);
            output.narrow(2, start, length).copy_(part);
        }

        return output.MoveToOuterDisposeScope();
    }

    private Tensor SplitHeads(Tensor x, long batch) => x.view(batch, -1, heads, x.shape[2] / heads).transpose(1, 2);
}
