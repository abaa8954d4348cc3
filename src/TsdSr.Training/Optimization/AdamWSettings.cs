namespace TsdSr.Training.Optimization;

/// <summary>AdamW hyper-parameters and gradient clipping of one optimiser (reference defaults, the official TSD-SR training script).</summary>
public sealed record AdamWSettings
{
    /// <summary>Base learning rate (before the schedule factor).</summary>
    public double LearningRate { get; init; } = 5e-6;

    /// <summary>β1.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>β2.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Decoupled weight decay.</summary>
    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>ε.</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Clip the global L2 norm of the gradients to this value; 0 or less turns clipping off.</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>The student's settings (transformer LoRA + VAE-encoder LoRA): lr 5e-6.</summary>
    public static AdamWSettings Student { get; } = new();

    /// <summary>The fake-score ("reg") LoRA's settings: lr 1e-6.</summary>
    public static AdamWSettings FakeScore { get; } = new() { LearningRate = 1e-6 };

    /// <summary>Checks the values (the ranges TorchSharp's AdamW accepts).</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public void Validate(string name = "optimizer")
    {
        if (!(LearningRate >= 0) || !double.IsFinite(LearningRate))
        {
            throw new ArgumentException($"{name}: learning_rate must be a finite number >= 0, got {LearningRate}.");
        }

        if (!(Beta1 >= 0 && Beta1 < 1) || !(Beta2 >= 0 && Beta2 < 1))
        {
            throw new ArgumentException($"{name}: betas must lie in [0, 1), got ({Beta1}, {Beta2}).");
        }

        if (!(WeightDecay >= 0) || !(Epsilon >= 0))
        {
            throw new ArgumentException($"{name}: weight_decay and eps must be >= 0, got {WeightDecay} and {Epsilon}.");
        }

        if (double.IsNaN(MaxGradNorm))
        {
            throw new ArgumentException($"{name}: max_grad_norm must be a number.");
        }
    }
}
