namespace TsdSr.Core.Devices;

/// <summary>A model or training run would need more memory than is available; thrown before anything is allocated.</summary>
public sealed class MemoryEstimateException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MemoryEstimateException(long requiredBytes, long availableBytes, string what)
        : base($"Refusing to build {what}: it needs about {HostMemory.Describe(requiredBytes)} but {HostMemory.Describe(availableBytes)} of memory is available. Check the values that set its size.")
    {
        RequiredBytes = requiredBytes;
        AvailableBytes = availableBytes;
    }

    /// <summary>The estimate in bytes.</summary>
    public long RequiredBytes { get; }

    /// <summary>The memory that was available.</summary>
    public long AvailableBytes { get; }
}
