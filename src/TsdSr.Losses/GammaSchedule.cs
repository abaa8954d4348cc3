namespace TsdSr.Losses;

/// <summary>
/// γ, the weight of the distillation (regularisation) term in the student loss L = L_rec + γ·L_tsd, as a function of
/// the global step. The reference code uses a constant γ = 1 (<c>loss_g = data_loss + tsd_loss</c>) and has no ramp;
/// a linear ramp (γ_start until <see cref="DelaySteps"/>, then linearly to γ_end over <see cref="RampSteps"/>) is
/// offered for the two-stage recipe and for warming the distillation term in gently.
/// </summary>
public sealed record GammaSchedule
{
    /// <summary>The reference: γ = 1 at every step.</summary>
    public static GammaSchedule Reference { get; } = new();

    /// <summary>γ before and at the start of the ramp.</summary>
    public double Start { get; init; } = 1.0;

    /// <summary>γ after the ramp.</summary>
    public double End { get; init; } = 1.0;

    /// <summary>Steps at <see cref="Start"/> before the ramp begins.</summary>
    public long DelaySteps { get; init; }

    /// <summary>Length of the linear ramp in steps (0 = jump from <see cref="Start"/> to <see cref="End"/> at <see cref="DelaySteps"/>).</summary>
    public long RampSteps { get; init; }

    /// <summary>A constant γ.</summary>
    public static GammaSchedule Constant(double gamma) => new() { Start = gamma, End = gamma };

    /// <summary>A linear ramp from <paramref name="start"/> to <paramref name="end"/> over steps [delay, delay + rampSteps].</summary>
    public static GammaSchedule Linear(double start, double end, long rampSteps, long delaySteps = 0) =>
        new() { Start = start, End = end, RampSteps = rampSteps, DelaySteps = delaySteps };

    /// <summary>
    /// γ at a 0-based global step: Start for step &lt; delay, then Start + (End − Start)·min(1, (step − delay) / ramp)
    /// (End at once when ramp = 0).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative.</exception>
    public double At(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (step < DelaySteps)
        {
            return Start;
        }

        if (RampSteps == 0)
        {
            return End;
        }

        double f = Math.Min(1.0, (double)(step - DelaySteps) / RampSteps);
        return Start + ((End - Start) * f);
    }

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A γ is negative or not finite, or a step count is negative.</exception>
    public void Validate()
    {
        if (!double.IsFinite(Start) || !double.IsFinite(End) || Start < 0 || End < 0)
        {
            throw new ArgumentException($"γ must be finite and ≥ 0, got start {Start}, end {End}.", nameof(Start));
        }

        if (DelaySteps < 0 || RampSteps < 0)
        {
            throw new ArgumentException($"Delay and ramp steps must be ≥ 0, got {DelaySteps} and {RampSteps}.", nameof(RampSteps));
        }

        // Without a delay or a ramp γ is End from the first step, so a different Start would be silently ignored.
        if (DelaySteps == 0 && RampSteps == 0 && Start != End)
        {
            throw new ArgumentException(
                $"γ start ({Start}) differs from end ({End}) but there is no delay or ramp, so γ would be {End} at every step: give a constant γ as equal start and end, or set ramp_steps / delay_steps.",
                nameof(Start));
        }
    }
}
