using TsdSr.Schedulers;
using TsdSr.Training.Dasm;
using TsdSr.Training.Randomness;

namespace TsdSr.Tests.Training.Dasm;

public sealed class DasmScheduleTests
{
    private static readonly DasmOptions NoBias = new() { UseRandomBias = false };

    // σ_i = 3s / (1 + 2s), s = (1000 − i) / 1000 (the official TSD-SR training script), evaluated in double by hand.
    private static double Sigma(int index)
    {
        double s = (1000.0 - index) / 1000.0;
        return 3 * s / (1 + (2 * s));
    }

    [Fact]
    public void Four_sub_steps_of_fifty_from_index_100_without_bias()
    {
        var schedule = new DasmSchedule(NoBias);
        var plan = schedule.Plan([100], null);
        plan.Current[0].Should().Equal(100, 150, 200, 250);
        plan.Next[0].Should().Equal(150, 200, 250, 300);
        plan.Weights.Should().Equal(1.0, 0.3, 0.3, 0.3);
        plan.Biases.Should().Equal(0);
    }

    [Fact]
    public void Right_end_is_clamped_at_999_and_linspace_is_truncated()
    {
        // right = min(900 + 200, 999) = 999; step 24.75: 900, 924.75, 949.5, 974.25, 999 → int truncation.
        new DasmSchedule(NoBias).Indices(900, 0).Should().Equal(900, 924, 949, 974, 999);
    }

    [Fact]
    public void Bias_moves_the_right_end_before_the_linspace()
    {
        // right = 100 + 200 − 25 = 275; step 43.75: 100, 143.75, 187.5, 231.25, 275.
        new DasmSchedule(NoBias).Indices(100, -25).Should().Equal(100, 143, 187, 231, 275);
    }

    [Fact]
    public void Non_exact_steps_follow_torch_linspace_in_fp32()
    {
        // N = 3, right = 50 + 150 + 1 = 201, step = 151/3: first half from the start (50, 100.33), second half from
        // the end (201 − 50.33 = 150.67, 201); truncated.
        new DasmSchedule(NoBias with { SubSteps = 3 }).Indices(50, 1).Should().Equal(50, 100, 150, 201);
    }

    [Fact]
    public void Without_dasm_there_is_one_sub_step_at_the_start_index()
    {
        var plan = new DasmSchedule(DasmOptions.Off with { UseRandomBias = false }).Plan([321, 77], null);
        plan.SubSteps.Should().Be(1);
        plan.CurrentAt(0).Should().Equal(321, 77);
        plan.Weights.Should().Equal(1.0);
    }

    [Fact]
    public void Per_sample_mode_gives_each_sample_its_own_steps_and_reference_mode_uses_the_first_sample()
    {
        var scheduler = new FlowMatchEulerDiscreteScheduler();
        var perSample = new DasmSchedule(NoBias).Plan([100, 600], null);
        var reference = new DasmSchedule(NoBias with { BatchMode = DasmBatchMode.FirstSampleForBatch }).Plan([100, 600], null);

        perSample.Current[1].Should().Equal(600, 650, 700, 750);
        reference.Current[1].Should().Equal(100, 150, 200, 250);
        reference.Current[0].Should().Equal(perSample.Current[0]);

        using var sPer = perSample.SigmasAt(scheduler, 0);
        using var sRef = reference.SigmasAt(scheduler, 0);
        var per = sPer.data<float>().ToArray();
        var refr = sRef.data<float>().ToArray();
        per[0].Should().Be(refr[0]);
        ((double)per[1]).Should().BeApproximately(Sigma(600), 1e-6);
        ((double)refr[1]).Should().BeApproximately(Sigma(100), 1e-6, "the reference scores sample 2 at sample 1's σ");
    }

    [Fact]
    public void Sigmas_and_timesteps_come_from_the_training_index_view()
    {
        var scheduler = new FlowMatchEulerDiscreteScheduler();
        var plan = new DasmSchedule(NoBias).Plan([50, 949 - 200], null);
        using var cur = plan.SigmasAt(scheduler, 0);
        using var next = plan.NextSigmasAt(scheduler, 3);
        using var t = plan.TimestepsAt(scheduler, 1);
        ((double)cur[0].item<float>()).Should().BeApproximately(0.98276, 1e-5);
        ((double)next[1].item<float>()).Should().BeApproximately(0.13884, 1e-5);
        ((double)t[0].item<float>()).Should().BeApproximately(1000 * Sigma(100), 1e-3);
    }

    [Fact]
    public void Random_bias_lies_in_minus_25_to_24_and_is_reproducible_from_the_seed()
    {
        var schedule = new DasmSchedule(new DasmOptions());
        using var g1 = new SeededGenerator(5);
        using var g2 = new SeededGenerator(5);
        var biases = Enumerable.Range(0, 2000).SelectMany(_ => schedule.Plan([100, 200], g1).Biases).ToList();
        var again = Enumerable.Range(0, 2000).SelectMany(_ => schedule.Plan([100, 200], g2).Biases).ToList();
        biases.Should().Equal(again);
        biases.Min().Should().Be(-25);
        biases.Max().Should().Be(24);
    }

    [Fact]
    public void Reference_mode_draws_one_bias_for_the_batch()
    {
        var schedule = new DasmSchedule(new DasmOptions { BatchMode = DasmBatchMode.FirstSampleForBatch });
        using var g = new SeededGenerator(3);
        for (int i = 0; i < 20; i++)
        {
            schedule.Plan([100, 300, 500], g).Biases.Distinct().Should().HaveCount(1);
        }
    }

    [Fact]
    public void Invalid_options_and_indices_are_rejected_with_names()
    {
        FluentActions.Invoking(() => new DasmSchedule(new DasmOptions { StepWeights = [1.0] }))
            .Should().Throw<ArgumentException>().WithMessage("*step_weights*");
        FluentActions.Invoking(() => new DasmSchedule(NoBias).Plan([1000], null))
            .Should().Throw<ArgumentException>().WithMessage("*1000*");
        FluentActions.Invoking(() => new DasmSchedule(new DasmOptions()).Plan([100], null))
            .Should().Throw<ArgumentNullException>();
    }
}
