using TsdSr.Core.StateDicts;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Core.StateDicts;

/// <summary>
/// <see cref="WeightLoader.IsFinite"/> answers from the tensor's largest and smallest value; the answer must equal an
/// element-wise check in every dtype, at the ends of each dtype's range and for opposite infinities.
/// </summary>
public sealed class WeightLoaderFinitenessTests
{
    public static TheoryData<ScalarType> FloatTypes => new() { ScalarType.Float32, ScalarType.Float64, ScalarType.Float16, ScalarType.BFloat16 };

    [Theory]
    [MemberData(nameof(FloatTypes))]
    public void Finite_values_are_finite(ScalarType dtype)
    {
        using var t = randn(4, 1000, generator: new Generator(1)).to(dtype);

        WeightLoader.IsFinite(t).Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(FloatTypes))]
    public void One_NaN_one_infinity_or_opposite_infinities_are_not_finite(ScalarType dtype)
    {
        foreach (var bad in new[] { new[] { double.NaN }, new[] { double.NegativeInfinity }, new[] { double.PositiveInfinity, double.NegativeInfinity } })
        {
            using var t = zeros(new long[] { 4, 1000 }, dtype);
            for (int i = 0; i < bad.Length; i++)
            {
                t[i, 500 + i] = bad[i];
            }

            WeightLoader.IsFinite(t).Should().BeFalse($"the tensor holds {string.Join(" and ", bad)}");
        }
    }

    [Theory]
    [InlineData(ScalarType.Float32, 3.4e38)]
    [InlineData(ScalarType.BFloat16, 3.3e38)]
    [InlineData(ScalarType.Float16, 65504.0)]
    [InlineData(ScalarType.Float64, 1.7e308)]
    public void The_largest_finite_values_of_each_dtype_are_finite(ScalarType dtype, double large)
    {
        // A sum of these overflows to infinity: a check built on one would call them non-finite.
        using var t = full(new long[] { 8 }, large, dtype);
        t[1] = -large;
        using (var sum = t.abs().sum())
        {
            sum.isinf().item<bool>().Should().BeTrue("the case must be one a sum-based check would get wrong");
        }

        WeightLoader.IsFinite(t).Should().BeTrue();
    }

    [Fact]
    public void An_empty_tensor_is_finite()
    {
        using var t = empty(0, 3);

        WeightLoader.IsFinite(t).Should().BeTrue();
    }

    [Fact]
    public void Integer_and_boolean_tensors_are_always_finite()
    {
        using var i = full(new long[] { 3 }, int.MaxValue, ScalarType.Int32);
        using var b = ones(3, ScalarType.Bool);

        WeightLoader.IsFinite(i).Should().BeTrue();
        WeightLoader.IsFinite(b).Should().BeTrue();
    }

    [Fact]
    public void The_check_leaves_no_tensor_alive()
    {
        using var finite = randn(100);
        using var overflowing = full(new long[] { 8 }, 3e38);
        using var nan = full(new long[] { 8 }, double.NaN);

        LeakCheck.NoLiveTensorsAfter(() =>
        {
            WeightLoader.IsFinite(finite).Should().BeTrue();
            WeightLoader.IsFinite(overflowing).Should().BeTrue();
            WeightLoader.IsFinite(nan).Should().BeFalse();
        });
    }
}
