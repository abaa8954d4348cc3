using TsdSr.Models.Autoencoders;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Models.Autoencoders;

/// <summary>
/// The explicit attention product that bf16 VAE attention takes on the CPU: the same function as SDPA (fp32: 1e-6 on
/// O(1) outputs, the bar of the chunking tests), in query chunks as in one call, chosen only for bf16 on the CPU, and
/// in bf16 as close to the fp32 layer as SDPA is.
/// </summary>
public class VaeAttentionExplicitTests
{
    private const double Fp32Tolerance = 1e-6;

    [Theory]
    [InlineData(long.MaxValue)] // one call
    [InlineData(37L * 2 * 300 * 4)] // 37 queries per call: uneven chunks
    public void The_explicit_product_is_sdpa_to_fp32_rounding(long budgetBytes)
    {
        var g = new Generator(3);
        using var q = randn(new long[] { 2, 1, 300, 16 }, generator: g);
        using var k = randn(new long[] { 2, 1, 300, 16 }, generator: g);
        using var v = randn(new long[] { 2, 1, 300, 16 }, generator: g);
        using var sdpa = nn.functional.scaled_dot_product_attention(q, k, v);

        using var explicitProduct = VaeAttention.AttendExplicit(q, k, v, budgetBytes);

        explicitProduct.shape.Should().Equal(sdpa.shape);
        explicitProduct.sub(sdpa).abs().max().item<float>().Should().BeLessThan((float)Fp32Tolerance);
        sdpa.abs().max().item<float>().Should().BeGreaterThan(0.5f, "the outputs are O(1), so the bar is relative too");
    }

    [Fact]
    public void Queries_per_call_keep_the_score_matrix_within_the_budget()
    {
        using var q = zeros(2, 3, 100, 8, ScalarType.BFloat16);
        using var k = zeros(2, 3, 50, 8, ScalarType.BFloat16);
        // One query's scores: 2 × 3 × 50 keys × 2 bytes = 600 bytes.
        VaeAttention.QueriesPerCall(q, k, 600 * 7).Should().Be(7);
        VaeAttention.QueriesPerCall(q, k, 600 * 7 + 599).Should().Be(7);
        VaeAttention.QueriesPerCall(q, k, 10).Should().Be(1, "at least one query per call, whatever the budget");
    }

    [Fact]
    public void Only_bf16_on_the_cpu_takes_the_explicit_product_and_it_can_be_turned_off()
    {
        using var attention = new VaeAttention(16, 4, 16);
        using var bf16 = zeros(1, 1, 4, 16, ScalarType.BFloat16);
        using var fp32 = zeros(1, 1, 4, 16);
        using var fp16 = zeros(1, 1, 4, 16, ScalarType.Float16);

        attention.UsesExplicitProduct(bf16).Should().BeTrue();
        attention.UsesExplicitProduct(fp32).Should().BeFalse();
        attention.UsesExplicitProduct(fp16).Should().BeFalse("fp16 on the CPU was not measured");
        attention.ExplicitBFloat16OnCpu = false;
        attention.UsesExplicitProduct(bf16).Should().BeFalse();
    }

    [Fact]
    public void In_bf16_the_layer_stays_as_close_to_fp32_as_with_sdpa()
    {
        manual_seed(4);
        using var attention = new VaeAttention(64, 8, 64);
        attention.eval();
        using var noGrad = no_grad();
        using var x = randn(1, 64, 16, 16);
        using var exact = attention.call(x);
        attention.to(ScalarType.BFloat16);
        using var xb = x.to(ScalarType.BFloat16);

        using var explicitOut = attention.call(xb);
        attention.ExplicitBFloat16OnCpu = false;
        using var sdpaOut = attention.call(xb);

        double explicitError = explicitOut.to(ScalarType.Float32).sub(exact).abs().max().item<float>();
        double sdpaError = sdpaOut.to(ScalarType.Float32).sub(exact).abs().max().item<float>();
        explicitOut.to(ScalarType.Float32).sub(sdpaOut.to(ScalarType.Float32)).abs().max().item<float>()
            .Should().BeGreaterThan(0, "the two paths differ in rounding, so this compares two different computations");
        // Measured: 1.667e-2 for both (equal to four digits). The rounding of the input and the weights to bf16
        // dominates, not the attention; a wrong scale or softmax axis would add errors of O(1). The bar leaves 10 %.
        explicitError.Should().BeLessThan(1.1 * sdpaError);
    }

    [Fact]
    public void The_chunked_explicit_product_leaves_no_live_tensors()
    {
        var g = new Generator(5);
        using var q = randn(new long[] { 1, 1, 64, 8 }, generator: g).to(ScalarType.BFloat16);
        using var k = randn(new long[] { 1, 1, 64, 8 }, generator: g).to(ScalarType.BFloat16);
        using var v = randn(new long[] { 1, 1, 64, 8 }, generator: g).to(ScalarType.BFloat16);
        LeakCheck.NoLiveTensorsAfter(() =>
        {
            using var chunked = VaeAttention.AttendExplicit(q, k, v, 64 * 2 * 5);
            using var whole = VaeAttention.AttendExplicit(q, k, v, long.MaxValue);
        });
    }
}
