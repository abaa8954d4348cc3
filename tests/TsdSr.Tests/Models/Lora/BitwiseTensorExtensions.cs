namespace TsdSr.Tests.Models.Lora;

/// <summary>Bit-for-bit tensor equality (same dtype, shape and every element).</summary>
internal static class BitwiseTensorExtensions
{
    public static bool SameAs(this Tensor actual, Tensor expected)
    {
        if (actual.dtype != expected.dtype || !actual.shape.SequenceEqual(expected.shape))
        {
            return false;
        }

        using var same = actual.cpu().eq(expected.cpu());
        using var all = same.all();
        return all.item<bool>();
    }
}
