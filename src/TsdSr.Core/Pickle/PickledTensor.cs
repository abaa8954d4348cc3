namespace TsdSr.Core.Pickle;

/// <summary>A tensor view of a storage, as <c>torch._utils._rebuild_tensor_v2</c> describes it. Nothing is read yet.</summary>
internal sealed record PickledTensor(TorchStorageRef Storage, long StorageOffset, long[] Size, long[] Stride)
{
    /// <summary>Number of elements (checked: throws <see cref="OverflowException"/> on absurd sizes).</summary>
    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (var s in Size)
            {
                n = checked(n * s);
            }

            return n;
        }
    }

    /// <summary>Bytes of the materialised (contiguous) tensor.</summary>
    public long ByteLength => checked(ElementCount * Storage.Type.ElementSize);

    /// <summary>True when the view is the whole storage in row-major order, so the storage can be reshaped in place.</summary>
    public bool IsWholeStorage => StorageOffset == 0 && ElementCount == Storage.ElementCount && IsRowMajor();

    private bool IsRowMajor()
    {
        long expected = 1;
        for (int i = Size.Length - 1; i >= 0; i--)
        {
            if (Size[i] != 1 && Stride[i] != expected)
            {
                return false;
            }

            expected *= Size[i];
        }

        return true;
    }
}
