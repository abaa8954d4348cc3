using TorchSharp;
using TsdSr.Training.Data;
using TsdSr.Training.Loop;
using Xunit.Abstractions;

namespace TsdSr.Tests.Training.Loop;

public class TrainerTests(ITestOutputHelper output)
{
    [Fact]
    public void A_few_dozen_steps_on_real_photos_lower_the_reconstruction_loss()
    {
        const int steps = 24;
        using var setup = LoopTestSetup.Create(studentLr: 1e-3, fakeLr: 1e-3);
        var (hr, lr) = LoopTestSetup.RealImages(4);
        using var latents = setup.PlainLatents(hr);
        using (hr)
        using (lr)
        {
            var recorder = new Recorder();
            var trainer = new Trainer(setup.Step, new TrainerOptions { MaxSteps = steps }, recorder);

            var summary = trainer.Run(Batches(hr, lr, latents, batchSize: 2, count: int.MaxValue));

            summary.StepsDone.Should().Be(steps);
            summary.NextStep.Should().Be(steps);
            var rec = recorder.Results.Select(r => r.ReconstructionLoss).ToList();
            rec.Should().OnlyContain(v => double.IsFinite(v));
            recorder.Results.Should().OnlyContain(r => r.TsdLoss.HasValue && double.IsFinite(r.TsdLoss.Value) && r.FakeScoreLoss.HasValue);
            output.WriteLine($"reconstruction loss per step: {string.Join(", ", rec.Select(v => v.ToString("F4")))}");
            var t = recorder.Results.Select(r => r.Timings).ToList();
            output.WriteLine($"mean ms per step: encode {t.Average(x => x.Encode.TotalMilliseconds):F0}, student {t.Average(x => x.Student.TotalMilliseconds):F0}, " +
                $"distillation {t.Average(x => x.Distillation.TotalMilliseconds):F0}, reconstruction {t.Average(x => x.Reconstruction.TotalMilliseconds):F0}, " +
                $"student update {t.Average(x => x.StudentUpdate.TotalMilliseconds):F0}, fake score {t.Average(x => x.FakeScore.TotalMilliseconds):F0}, total {t.Average(x => x.Total.TotalMilliseconds):F0}");
            output.WriteLine($"mean of first 5: {rec.Take(5).Average():F4}, mean of last 5: {rec.TakeLast(5).Average():F4}");
            rec.TakeLast(5).Average().Should().BeLessThan(rec.Take(5).Average(),
                "the student must fit the HR latents and pixels (first 5 vs last 5 steps: {0})", string.Join(", ", rec.Select(v => v.ToString("F4"))));
        }
    }

    [Fact]
    public void Cancelling_between_steps_stops_after_the_step_in_flight_and_pulls_no_further_batch()
    {
        using var setup = LoopTestSetup.Create();
        using var cts = new CancellationTokenSource();
        var recorder = new Recorder(afterStep: r =>
        {
            if (r.Step == 2)
            {
                cts.Cancel();
            }
        });
        var source = new CountingBatches(count: 10);
        var trainer = new Trainer(setup.Step, callback: recorder);

        var act = () => trainer.Run(source, cancellationToken: cts.Token);

        act.Should().Throw<OperationCanceledException>();
        recorder.Results.Select(r => r.Step).Should().Equal(0, 1, 2);
        source.Pulled.Should().Be(3);
        source.Disposed.Should().BeTrue();
    }

    [Fact]
    public async Task An_async_run_from_a_resumed_step_reports_progress_for_every_step_up_to_the_maximum()
    {
        using var setup = LoopTestSetup.Create();
        var reports = new List<TrainingProgress>();
        var progress = new SyncProgress(reports.Add);
        var trainer = new Trainer(setup.Step, new TrainerOptions { StartStep = 10, MaxSteps = 13 });

        var summary = await trainer.RunAsync(AsyncBatches(count: 10), progress);

        summary.StepsDone.Should().Be(3);
        summary.NextStep.Should().Be(13);
        reports.Select(p => p.Step).Should().Equal(10, 11, 12);
        reports.Select(p => p.StepsDone).Should().Equal(1, 2, 3);
        reports.Should().OnlyContain(p => p.MaxSteps == 13);
    }

    [Fact]
    public void The_recipe_of_each_step_comes_from_the_step_number()
    {
        using var setup = LoopTestSetup.Create();
        var recorder = new Recorder();
        var options = new TrainerOptions
        {
            MaxSteps = 4,
            RecipeAt = step => step < 2 ? StepRecipe.ReconstructionOnly : StepRecipe.Reference with { LatentMseWeight = 0 },
        };

        new Trainer(setup.Step, options, recorder).Run(new CountingBatches(count: 10));

        recorder.Results.Select(r => r.TsdLoss.HasValue).Should().Equal(false, false, true, true);
    }

    [Fact]
    public void A_run_disposes_every_batch_and_leaves_no_live_tensors_across_steps()
    {
        using var setup = LoopTestSetup.Create();
        var trainer = new Trainer(setup.Step, new TrainerOptions { MaxSteps = 1 });
        trainer.Run(new CountingBatches(count: 1)); // warm-up: the optimisers allocate their moments on the first step
        DisposeScopeManager.Statistics.Reset();

        new Trainer(setup.Step, new TrainerOptions { MaxSteps = 4 }).Run(new CountingBatches(count: 10));

        DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(0);
    }

    private static IEnumerable<TrainingBatch> Batches(Tensor hr, Tensor lr, Tensor latents, int batchSize, int count)
    {
        long n = hr.shape[0];
        for (int i = 0; i < count; i++)
        {
            long start = (i * batchSize) % n;
            using var scope = torch.NewDisposeScope();
            var h = hr.narrow(0, start, batchSize).clone();
            var l = lr.narrow(0, start, batchSize).clone();
            var z = latents.narrow(0, start, batchSize).clone();
            yield return new TrainingBatch(h.MoveToOuterDisposeScope(), l.MoveToOuterDisposeScope(), z.MoveToOuterDisposeScope(), null, null, ["a", "b"]);
        }
    }

    private static async IAsyncEnumerable<TrainingBatch> AsyncBatches(int count)
    {
        for (int i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return LoopTestSetup.RandomBatch(seed: i);
        }
    }

    private sealed class Recorder(Action<TrainingStepResult>? afterStep = null) : ITrainingStepCallback
    {
        public List<TrainingStepResult> Results { get; } = [];

        public ValueTask OnStepAsync(TrainingStepResult result, CancellationToken cancellationToken)
        {
            Results.Add(result);
            afterStep?.Invoke(result);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class SyncProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }

    /// <summary>Random batches that count how many were pulled and whether the enumerator was disposed.</summary>
    private sealed class CountingBatches(int count) : IEnumerable<TrainingBatch>
    {
        public int Pulled { get; private set; }

        public bool Disposed { get; private set; }

        public IEnumerator<TrainingBatch> GetEnumerator()
        {
            try
            {
                for (int i = 0; i < count; i++)
                {
                    Pulled++;
                    yield return LoopTestSetup.RandomBatch(seed: i);
                }
            }
            finally
            {
                Disposed = true;
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
