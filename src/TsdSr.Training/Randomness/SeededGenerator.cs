using TorchSharp;
using static TorchSharp.torch;

namespace TsdSr.Training.Randomness;

/// <summary>
/// A seeded CPU <see cref="torch.Generator"/> owned by the training loop, with its state as bytes so that a checkpoint
/// can restore the exact random stream (the reference's streams are unseeded and cannot be resumed).
/// </summary>
public sealed class SeededGenerator : IDisposable
{
    /// <summary>Creates a generator from <paramref name="seed"/>.</summary>
    public SeededGenerator(ulong seed)
    {
        Seed = seed;
        Generator = new Generator(seed, CPU);
    }

    /// <summary>The seed it was created with.</summary>
    public ulong Seed { get; }

    /// <summary>The underlying generator (CPU; draw on CPU and move results to the device).</summary>
    public Generator Generator { get; }

    /// <summary>The generator state (an opaque byte string to store in checkpoints).</summary>
    public byte[] GetState()
    {
        using var state = Generator.get_state();
        return state.data<byte>().ToArray();
    }

    /// <summary>Restores a state returned by <see cref="GetState"/>.</summary>
    /// <exception cref="ArgumentException">The bytes are not a generator state of this size.</exception>
    public void SetState(byte[] state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var expected = GetState().Length;
        if (state.Length != expected)
        {
            throw new ArgumentException($"A generator state has {expected} bytes, got {state.Length}.", nameof(state));
        }

        using var t = tensor(state, ScalarType.Byte);
        Generator.set_state(t);
    }

    /// <summary>Integers uniform in [<paramref name="low"/>, <paramref name="high"/>) (torch.randint semantics), int64, CPU.</summary>
    public Tensor RandInt(long low, long high, params long[] shape)
    {
        if (high <= low)
        {
            throw new ArgumentException($"randint needs low < high, got [{low}, {high}).");
        }

        return randint(low, high, shape, dtype: ScalarType.Int64, device: CPU, generator: Generator);
    }

    /// <summary>Standard normal fp32 samples on CPU.</summary>
    public Tensor RandN(params long[] shape) => randn(shape, dtype: ScalarType.Float32, device: CPU, generator: Generator);

    /// <inheritdoc />
    public void Dispose() => Generator.Dispose();
}
