namespace TsdSr.Tests.TestSupport;

/// <summary>Numeric comparisons against golden tensors.</summary>
internal static class TensorAssert
{
    /// <summary>Max |a - b| over all elements (computed in float64).</summary>
    public static double MaxAbsDiff(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        actual.shape.Should().Equal(expected.shape, "shapes must match");
        return (actual.to(float64).cpu() - expected.to(float64).cpu()).abs().max().item<double>();
    }

    public static void Close(Tensor actual, Tensor expected, double atol, string because = "")
    {
        var diff = MaxAbsDiff(actual, expected);
        diff.Should().BeLessThanOrEqualTo(atol, because);
    }
}
