using TorchSharp;
using static TorchSharp.torch;

namespace TsdSr.Models;

/// <summary>
/// How the model constructors on this thread allocate their parameters: dtype, device and whether they draw a random
/// initialisation. Outside any scope it is PyTorch's default (fp32, CPU, initialised), so randomly initialised models,
/// training from scratch and every seeded test see exactly the values they always did. Loading opens
/// <see cref="ForLoading"/>: each parameter is then allocated once, in its final dtype and place, and left
/// uninitialised because the strict weight load that follows overwrites every one of them.
/// </summary>
/// <remarks>
/// The settings are per thread (constructors run synchronously on the caller's thread) so that a model being loaded
/// never changes how another thread builds or runs one; libtorch's own default dtype is process-wide and is not used.
/// </remarks>
public static class ModelConstruction
{
    [ThreadStatic]
    private static Settings? current;

    /// <summary>The dtype new parameters get (fp32 outside a scope).</summary>
    public static ScalarType DType => current?.DType ?? ScalarType.Float32;

    /// <summary>The device new parameters are allocated on (the CPU outside a scope).</summary>
    public static Device Device => current?.Device ?? CPU;

    /// <summary>True inside <see cref="ForLoading"/>: constructors skip their random initialisation.</summary>
    public static bool SkipInitialisation => current?.SkipInit ?? false;

    /// <summary>
    /// Until disposed, models built on this thread allocate parameters in <paramref name="dtype"/> on
    /// <paramref name="device"/> and skip random initialisation. Only for a model whose every parameter is then
    /// loaded (strict load); its values are undefined until then.
    /// </summary>
    /// <param name="dtype">A floating-point dtype.</param>
    /// <param name="device">Target device; null is the CPU.</param>
    /// <returns>Restores the previous settings when disposed (scopes nest).</returns>
    /// <exception cref="ArgumentException"><paramref name="dtype"/> is not a floating-point dtype.</exception>
    public static IDisposable ForLoading(ScalarType dtype, Device? device = null)
    {
        if (!IsFloatingPoint(dtype))
        {
            throw new ArgumentException($"Parameters must be floating point, got {dtype}.", nameof(dtype));
        }

        return new Scope(new Settings(dtype, device ?? CPU, SkipInit: true));
    }

    /// <summary>An uninitialised tensor in the current dtype and device.</summary>
    internal static Tensor Empty(params long[] shape) => empty(shape, DType, Device);

    private static bool IsFloatingPoint(ScalarType t) =>
        t is ScalarType.Float32 or ScalarType.Float64 or ScalarType.BFloat16 or ScalarType.Float16;

    private sealed record Settings(ScalarType DType, Device Device, bool SkipInit);

    private sealed class Scope : IDisposable
    {
        private readonly Settings? previous = current;
        private bool disposed;

        public Scope(Settings settings) => current = settings;

        public void Dispose()
        {
            if (!disposed)
            {
                current = previous;
                disposed = true;
            }
        }
    }
}
