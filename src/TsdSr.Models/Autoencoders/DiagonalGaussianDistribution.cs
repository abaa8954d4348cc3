using TorchSharp;
using static TorchSharp.torch;

namespace TsdSr.Models.Autoencoders;

/// <summary>
/// The VAE posterior (diffusers' <c>DiagonalGaussianDistribution</c>): the encoder moments split along channels into
/// mean ‖ logvar, logvar clamped to [−30, 20], std = exp(logvar/2). Owns its tensors; dispose it.
/// </summary>
public sealed class DiagonalGaussianDistribution : IDisposable
{
    /// <summary>Lower clamp of the log-variance.</summary>
    public const double LogVarMin = -30.0;

    /// <summary>Upper clamp of the log-variance.</summary>
    public const double LogVarMax = 20.0;

    /// <summary>Builds the distribution from moments [B, 2C, H, W]; takes ownership of <paramref name="moments"/>.</summary>
    /// <exception cref="ArgumentException">The moments do not have an even channel count.</exception>
    public DiagonalGaussianDistribution(Tensor moments)
    {
        ArgumentNullException.ThrowIfNull(moments);
        if (moments.dim() < 2 || moments.shape[1] % 2 != 0)
        {
            throw new ArgumentException($"Moments must have an even number of channels in dim 1, got [{string.Join(", ", moments.shape)}].", nameof(moments));
        }

        Parameters = moments;
        var halves = moments.chunk(2, 1);
        Mean = halves[0];
        using (var raw = halves[1])
        {
            LogVar = raw.clamp(LogVarMin, LogVarMax);
        }

        Std = LogVar.mul(0.5).exp_();
    }

    /// <summary>The raw moments (mean ‖ logvar before the clamp).</summary>
    public Tensor Parameters { get; }

    /// <summary>Mean [B, C, H, W] (a view of <see cref="Parameters"/>).</summary>
    public Tensor Mean { get; }

    /// <summary>Clamped log-variance [B, C, H, W].</summary>
    public Tensor LogVar { get; }

    /// <summary>Standard deviation exp(logvar/2).</summary>
    public Tensor Std { get; }

    /// <summary>The mode (= the mean), as a new tensor handle the caller owns. Deterministic; use it for parity tests.</summary>
    public Tensor Mode() => Mean.alias();

    /// <summary>
    /// Draws mean + std·ε with ε ~ N(0, I) in the mean's dtype. With a generator the draw happens on the generator's
    /// device and moves to the mean's device (diffusers' <c>randn_tensor</c>), so a seeded CPU generator gives the same
    /// latents on every device.
    /// </summary>
    /// <returns>A new tensor the caller owns.</returns>
    /// <exception cref="ArgumentException">A non-CPU generator was given for tensors on another device type.</exception>
    public Tensor Sample(Generator? generator = null)
    {
        var device = Mean.device;
        if (generator is not null && generator.device.type != device.type && generator.device.type != DeviceType.CPU)
        {
            throw new ArgumentException(
                $"Cannot draw a {device.type} sample from a {generator.device.type} generator; use a CPU generator or one on {device.type}.", nameof(generator));
        }

        using var scope = NewDisposeScope();
        var eps = randn(Mean.shape, Mean.dtype, generator?.device ?? device, generator: generator).to(device);
        return Mean.add(Std.mul(eps)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Std.Dispose();
        LogVar.Dispose();
        Mean.Dispose();
        Parameters.Dispose();
    }
}
