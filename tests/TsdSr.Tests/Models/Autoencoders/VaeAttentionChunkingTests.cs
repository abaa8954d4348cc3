using TsdSr.Models;
using TsdSr.Models.Autoencoders;
using TsdSr.Tests.Models.Lora;

namespace TsdSr.Tests.Models.Autoencoders;

/// <summary>
/// The mid-block attention in query chunks is exact to fp32 rounding: 1e-6 absolute on O(1) outputs (measured
/// ≤ 2.4e-7), and a budget that fits is one SDPA call, bit for bit.
/// </summary>
public class VaeAttentionChunkingTests
{
    private const double Tolerance = 1e-6;

    [Theory]
    [InlineData(1)]  // one query per call
    [InlineData(37)] // uneven chunks (300 = 8 × 37 + 4)
    public void Chunked_attention_matches_one_call(long queriesPerCall)
    {
        var g = new Generator(1);
        using var q = randn(new long[] { 2, 1, 300, 16 }, generator: g);
        using var k = randn(new long[] { 2, 1, 300, 16 }, generator: g);
        using var v = randn(new long[] { 2, 1, 300, 16 }, generator: g);
        using var one = VaeAttention.Attend(q, k, v, long.MaxValue);
        using var sdpa = nn.functional.scaled_dot_product_attention(q, k, v);
        one.SameAs(sdpa).Should().BeTrue("a budget that fits is a single SDPA call");

        // Bytes per query: 2 batch × 1 head × 300 keys × 4 bytes.
        long budget = queriesPerCall * 2 * 300 * 4;
        using var chunked = VaeAttention.Attend(q, k, v, budget);
        chunked.shape.Should().Equal(one.shape);
        chunked.sub(one).abs().max().item<float>().Should().BeLessThan((float)Tolerance);
        one.abs().max().item<float>().Should().BeGreaterThan(0.5f, "the outputs are O(1), so the bar is relative too");
    }

    [Fact]
    public void The_layer_gives_the_same_output_chunked_unchunked_and_channels_last()
    {
        manual_seed(2);
        using var attention = new VaeAttention(32, 8, 32);
        attention.eval();
        using var x = randn(1, 32, 12, 10);
        using var noGrad = no_grad();
        attention.ScoreBudgetBytes = long.MaxValue;
        using var whole = attention.call(x);
        attention.ScoreBudgetBytes = 120 * 4 * 7; // 7 queries per call
        using var chunked = attention.call(x);
        using var nhwc = attention.call(ChannelsLast.To(x));
        chunked.sub(whole).abs().max().item<float>().Should().BeLessThan((float)Tolerance);
        nhwc.sub(whole).abs().max().item<float>().Should().BeLessThan((float)Tolerance);
        ChannelsLast.Is(nhwc).Should().BeTrue("a channels-last input stays channels-last");
    }
}
