namespace TsdSr.Losses.Distillation;

/// <summary>The TSD surrogate loss with the gradients it carries. Owns its tensors.</summary>
public sealed class TsdLossResult : IDisposable
{
    internal TsdLossResult(Tensor loss, ScoreDistillationGradients gradients)
    {
        Loss = loss;
        Gradients = gradients;
    }

    /// <summary>Scalar fp32 surrogate loss attached to ẑ's graph: ∂Loss/∂ẑ = grad / numel(ẑ).</summary>
    public Tensor Loss { get; }

    /// <summary>The detached g_vsd, g_tsm and combined grad.</summary>
    public ScoreDistillationGradients Gradients { get; }

    /// <summary>Disposes the loss and the gradients.</summary>
    public void Dispose()
    {
        Loss.Dispose();
        Gradients.Dispose();
    }
}
