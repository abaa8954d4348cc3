using TsdSr.Losses.Scores;

namespace TsdSr.Tests.Losses;

/// <summary>
/// A hand-made differentiable score model for loss tests:
/// v = a·x + b·(t/1000) + c·mean(prompt) + d·mean(pooled), the scalars broadcast per sample. <see cref="A"/> can be a
/// trainable parameter. Every call's prompt batch is recorded (mean per sample) so tests can check CFG order.
/// </summary>
internal sealed class AffineScoreModel(double a, double b, double c, double d) : IScoreModel
{
    public Tensor A { get; } = tensor(a, float32).requires_grad_(true);

    public double B { get; } = b;

    public double C { get; } = c;

    public double D { get; } = d;

    public List<double[]> PromptMeansPerCall { get; } = [];

    public bool Record { get; set; }

    public Tensor PredictVelocity(Tensor latent, Tensor timestep, Tensor promptEmbeds, Tensor pooledEmbeds)
    {
        using var scope = NewDisposeScope();
        var perSample = new long[] { latent.shape[0], 1, 1, 1 };
        var p = promptEmbeds.mean([1, 2]);
        if (Record)
        {
            PromptMeansPerCall.Add(p.to(float64).data<double>().ToArray());
        }

        var v = latent.mul(A)
            .add(timestep.div(1000.0).mul(B).reshape(perSample))
            .add(p.mul(C).reshape(perSample))
            .add(pooledEmbeds.mean([1]).mul(D).reshape(perSample));
        return v.MoveToOuterDisposeScope();
    }

    /// <summary>The same formula in float64 on plain tensors, for hand computations of expected values.</summary>
    public Tensor Expected(Tensor x, Tensor t, Tensor prompt, Tensor pooled)
    {
        var perSample = new long[] { x.shape[0], 1, 1, 1 };
        double a = A.to(float64).item<double>();
        return x.to(float64).mul(a)
            .add(t.to(float64).div(1000.0).mul(B).reshape(perSample))
            .add(prompt.to(float64).mean([1, 2]).mul(C).reshape(perSample))
            .add(pooled.to(float64).mean([1]).mul(D).reshape(perSample));
    }
}
