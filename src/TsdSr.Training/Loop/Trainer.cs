using System.Diagnostics;
using TsdSr.Training.Data;

namespace TsdSr.Training.Loop;

/// <summary>
/// The training loop: pulls batches, runs <see cref="TrainingStep"/> on each (with the step's <see cref="StepRecipe"/>),
/// disposes the batch, calls the per-step callback and reports progress. Cancellation is honoured between steps: the
/// step in flight finishes (its update and callback included), then <see cref="OperationCanceledException"/> is thrown.
/// Batches are pulled lazily, so none is read past <see cref="TrainerOptions.MaxSteps"/> or a cancellation.
/// </summary>
public sealed class Trainer
{
    /// <summary>Creates the loop; it does not own <paramref name="step"/> or <paramref name="callback"/>.</summary>
    /// <param name="step">The training step (models, losses, optimisers).</param>
    /// <param name="options">Start step, maximum and per-step recipe; null = from step 0 until the batches end.</param>
    /// <param name="callback">Called after every step (logging, checkpoints), or null.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public Trainer(TrainingStep step, TrainerOptions? options = null, ITrainingStepCallback? callback = null)
    {
        Step = step ?? throw new ArgumentNullException(nameof(step));
        Options = options ?? new TrainerOptions();
        Options.Validate();
        Callback = callback;
    }

    /// <summary>The training step.</summary>
    public TrainingStep Step { get; }

    /// <summary>The run settings.</summary>
    public TrainerOptions Options { get; }

    /// <summary>The per-step callback, if any.</summary>
    public ITrainingStepCallback? Callback { get; }

    /// <summary>Runs over synchronous batches (each is disposed after its step).</summary>
    /// <param name="batches">Batches with images in [0, 1]; the loop takes ownership of every batch it pulls.</param>
    /// <param name="progress">Receives one report per step, or null.</param>
    /// <param name="cancellationToken">Checked between steps.</param>
    /// <returns>Steps done, the next global step and the last result.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled; the steps before it are complete.</exception>
    public TrainerSummary Run(IEnumerable<TrainingBatch> batches, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var state = new RunState(Options.StartStep);
        using var enumerator = batches.GetEnumerator();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (state.Finished(Options.MaxSteps) || !enumerator.MoveNext())
            {
                break;
            }

            var result = RunOne(enumerator.Current, state);
            if (Callback is not null)
            {
                var pending = Callback.OnStepAsync(result, cancellationToken);
                if (!pending.IsCompletedSuccessfully)
                {
                    pending.AsTask().GetAwaiter().GetResult();
                }
            }

            progress?.Report(state.Progress(result, Options.MaxSteps));
        }

        return state.Summary();
    }

    /// <summary>Runs over asynchronous batches (each is disposed after its step).</summary>
    /// <param name="batches">Batches with images in [0, 1]; the loop takes ownership of every batch it pulls.</param>
    /// <param name="progress">Receives one report per step, or null.</param>
    /// <param name="cancellationToken">Checked between steps and passed to the batch source and the callback.</param>
    /// <returns>Steps done, the next global step and the last result.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled; the steps before it are complete.</exception>
    public async Task<TrainerSummary> RunAsync(IAsyncEnumerable<TrainingBatch> batches, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var state = new RunState(Options.StartStep);
        await using var enumerator = batches.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (state.Finished(Options.MaxSteps) || !await enumerator.MoveNextAsync().ConfigureAwait(false))
            {
                break;
            }

            // The step runs synchronously with its own dispose scope; nothing is awaited inside it.
            var result = RunOne(enumerator.Current, state);
            if (Callback is not null)
            {
                await Callback.OnStepAsync(result, cancellationToken).ConfigureAwait(false);
            }

            progress?.Report(state.Progress(result, Options.MaxSteps));
        }

        return state.Summary();
    }

    private TrainingStepResult RunOne(TrainingBatch batch, RunState state)
    {
        using (batch)
        {
            var recipe = Options.RecipeAt?.Invoke(state.NextStep) ?? StepRecipe.Reference;
            var result = Step.Run(batch, state.NextStep, recipe);
            state.Advance(result);
            return result;
        }
    }

    private sealed class RunState(long startStep)
    {
        private readonly Stopwatch watch = Stopwatch.StartNew();

        public long NextStep { get; private set; } = startStep;

        public long StepsDone { get; private set; }

        public TrainingStepResult? Last { get; private set; }

        public bool Finished(long? maxSteps) => maxSteps is { } max && NextStep >= max;

        public void Advance(TrainingStepResult result)
        {
            Last = result;
            NextStep++;
            StepsDone++;
        }

        public TrainingProgress Progress(TrainingStepResult result, long? maxSteps) =>
            new(result.Step, StepsDone, maxSteps, result, watch.Elapsed);

        public TrainerSummary Summary() => new(StepsDone, NextStep, Last, watch.Elapsed);
    }
}
