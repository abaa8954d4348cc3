namespace TsdSr.Losses.Distillation;

/// <summary>
/// The stop-gradient surrogate that hands a precomputed gradient to the student latent (reference):
/// <c>L = 0.5·MSE_mean(ẑ, sg(ẑ − grad))</c>, so <c>∂L/∂ẑ = grad / numel(ẑ)</c> exactly. Its value, 0.5·mean(grad²),
/// is only a diagnostic; the gradient is what matters.
/// </summary>
public static class ScoreDistillationLoss
{
    /// <summary>Builds the surrogate loss in fp32 (the reference casts both operands with <c>.float()</c>).</summary>
    /// <param name="studentLatent">ẑ, attached to the student's graph.</param>
    /// <param name="gradient">The gradient to hand to ẑ (e.g. <see cref="ScoreDistillationGradients.Combined"/>).</param>
    /// <returns>A scalar fp32 loss; the caller owns it.</returns>
    /// <exception cref="ArgumentException">Shapes differ.</exception>
    public static Tensor Surrogate(Tensor studentLatent, Tensor gradient)
    {
        ArgumentNullException.ThrowIfNull(studentLatent);
        ArgumentNullException.ThrowIfNull(gradient);
        if (!studentLatent.shape.SequenceEqual(gradient.shape))
        {
            throw new ArgumentException(
                $"Gradient [{string.Join(", ", gradient.shape)}] must match the latent [{string.Join(", ", studentLatent.shape)}].", nameof(gradient));
        }

        using var scope = NewDisposeScope();
        var target = studentLatent.detach().sub(gradient.detach().to(studentLatent.dtype)).to(ScalarType.Float32);
        var loss = nn.functional.mse_loss(studentLatent.to(ScalarType.Float32), target, nn.Reduction.Mean).mul(0.5);
        return loss.MoveToOuterDisposeScope();
    }
}
