namespace TsdSr.Core.SafeTensors;

/// <summary>Header entry of one tensor in a safetensors file.</summary>
/// <param name="Name">Tensor name (state-dict key).</param>
/// <param name="DType">Safetensors dtype name, e.g. <c>F32</c>.</param>
/// <param name="Shape">Tensor shape.</param>
/// <param name="Begin">Start of the tensor bytes, relative to the start of the data section.</param>
/// <param name="End">End (exclusive) of the tensor bytes, relative to the start of the data section.</param>
public sealed record SafetensorsTensorInfo(string Name, string DType, long[] Shape, long Begin, long End)
{
    /// <summary>Number of elements.</summary>
    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (var d in Shape)
            {
                n = checked(n * d);
            }

            return n;
        }
    }

    /// <summary>Number of data bytes.</summary>
    public long ByteLength => End - Begin;

    /// <summary>Shape formatted as <c>[a, b, c]</c>.</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
