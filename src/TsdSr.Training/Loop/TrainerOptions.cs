namespace TsdSr.Training.Loop;

/// <summary>Settings of a <see cref="Trainer"/> run.</summary>
public sealed record TrainerOptions
{
    /// <summary>The global step of the first batch (0, or the step after a resumed checkpoint).</summary>
    public long StartStep { get; init; }

    /// <summary>Stop when the global step reaches this value (exclusive), or null to run until the batches end.</summary>
    public long? MaxSteps { get; init; }

    /// <summary>
    /// The recipe of a global step (e.g. <c>step =&gt; StepRecipe.FromStage(config.StageAt(step), generator)</c> for the
    /// two-stage recipe); null = <see cref="StepRecipe.Reference"/> for every step.
    /// </summary>
    public Func<long, StepRecipe>? RecipeAt { get; init; }

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A negative start step, or a maximum not above the start step.</exception>
    public void Validate()
    {
        if (StartStep < 0)
        {
            throw new ArgumentException($"StartStep must be ≥ 0, got {StartStep}.", nameof(StartStep));
        }

        if (MaxSteps is { } max && max <= StartStep)
        {
            throw new ArgumentException($"MaxSteps ({max}) must exceed StartStep ({StartStep}).", nameof(MaxSteps));
        }
    }
}
