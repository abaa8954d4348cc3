namespace TsdSr.Core.Devices;

/// <summary>A libtorch backend could not be loaded or used; the inner exception carries the native load trace.</summary>
public sealed class TorchBackendException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TorchBackendException(string message, Exception? inner = null)
        : base(inner is null ? message : message + Environment.NewLine + "Native load trace: " + inner.Message, inner)
    {
    }
}
