using TsdSr.Core.SafeTensors;
using TsdSr.Schedulers;
using TsdSr.Tests.TestSupport;
using Xunit.Abstractions;

namespace TsdSr.Tests.Schedulers;

/// <summary>The scheduler reproduces diffusers' arrays bit for bit (fixture flow_match_scheduler).</summary>
public sealed class FlowMatchEulerDiscreteSchedulerTests : IDisposable
{
    private readonly ITestOutputHelper output;
    private readonly Dictionary<string, Tensor> fixture;

    public FlowMatchEulerDiscreteSchedulerTests(ITestOutputHelper output)
    {
        this.output = output;
        fixture = SafetensorsFile.LoadAll(FixturePaths.Get("flow_match_scheduler", "scheduler.safetensors"));
    }

    public void Dispose()
    {
        foreach (var t in fixture.Values)
        {
            t.Dispose();
        }
    }

    private static FlowMatchEulerDiscreteScheduler FromFixtureConfig() =>
        new(FlowMatchEulerDiscreteSchedulerConfig.FromFile(FixturePaths.Get("flow_match_scheduler", "scheduler_config.json")));

    private float[] Golden(string name) => fixture[name].data<float>().ToArray();

    private static long OrderedBits(float f)
    {
        int i = BitConverter.SingleToInt32Bits(f);
        return i < 0 ? (long)int.MinValue - i : i;
    }

    private long MaxUlp(string name, IReadOnlyList<float> actual)
    {
        var expected = Golden(name);
        actual.Should().HaveCount(expected.Length, name);
        long max = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            max = Math.Max(max, Math.Abs(OrderedBits(actual[i]) - OrderedBits(expected[i])));
        }

        output.WriteLine($"{name}: {expected.Length} values, max ulp distance {max}");
        return max;
    }

    [Fact]
    public void Training_sigmas_and_timesteps_equal_the_fixture_within_one_ulp()
    {
        var scheduler = FromFixtureConfig();
        MaxUlp("sigmas", scheduler.TrainSigmas).Should().BeLessThanOrEqualTo(1);
        MaxUlp("timesteps", scheduler.TrainTimesteps).Should().BeLessThanOrEqualTo(1);
        MaxUlp("sigmas", scheduler.Sigmas).Should().BeLessThanOrEqualTo(1, "before SetTimesteps the current schedule is the training one");
        scheduler.SigmaMax.Should().Be(Golden("sigmas")[0]);
        scheduler.SigmaMin.Should().Be(Golden("sigmas")[^1]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(28)]
    public void SetTimesteps_gives_the_fixture_grid_with_a_trailing_zero(int steps)
    {
        var scheduler = FromFixtureConfig();
        scheduler.SetTimesteps(steps);
        MaxUlp($"sigmas_{steps}", scheduler.Sigmas).Should().BeLessThanOrEqualTo(1);
        MaxUlp($"timesteps_{steps}", scheduler.Timesteps).Should().BeLessThanOrEqualTo(1);
        scheduler.Sigmas[^1].Should().Be(0f);
        scheduler.NumInferenceSteps.Should().Be(steps);
        scheduler.TrainSigmas.Should().HaveCount(1000, "the training view survives SetTimesteps");
    }

    [Fact]
    public void Sd3_preset_equals_the_fixture_config()
    {
        FromFixtureConfig().Config.Should().Be(FlowMatchEulerDiscreteSchedulerConfig.Sd3);
    }

    [Fact]
    public void Step_reproduces_the_fixture_prev_sample_and_advances_the_index()
    {
        var scheduler = FromFixtureConfig();
        scheduler.SetTimesteps(4);
        using var prev = scheduler.Step(fixture["step_model_output"], fixture["step_timestep"], fixture["step_sample"]);
        var err = TensorAssert.MaxAbsDiff(prev, fixture["step_prev_sample"]);
        output.WriteLine($"step_prev_sample max abs error {err:G3}");
        err.Should().BeLessThanOrEqualTo(1e-6);
        prev.dtype.Should().Be(ScalarType.Float32);
        scheduler.StepIndex.Should().Be(1);

        using var t64 = fixture["step_timestep"].to(float64);
        var again = FromFixtureConfig();
        again.SetTimesteps(4);
        using var prev64 = again.Step(fixture["step_model_output"], t64, fixture["step_sample"]);
        prev64.allclose(prev, 0, 0).Should().BeTrue("a float64 timestep equal to an fp32 one selects the same step");
    }

    [Fact]
    public void Step_casts_back_to_the_model_output_dtype()
    {
        var scheduler = FromFixtureConfig();
        scheduler.SetTimesteps(4);
        using var v = fixture["step_model_output"].to(bfloat16);
        using var prev = scheduler.Step(v, scheduler.Timesteps[0], fixture["step_sample"]);
        prev.dtype.Should().Be(ScalarType.BFloat16);
        var err = TensorAssert.MaxAbsDiff(prev, fixture["step_prev_sample"]);
        output.WriteLine($"bf16 model output: step_prev_sample max abs error {err:G3}");
        err.Should().BeLessThan(0.05);
    }

    [Fact]
    public void A_repeated_timestep_resolves_to_its_second_occurrence()
    {
        // One training step makes σ_max = σ_min, so every inference timestep is the same value.
        var scheduler = new FlowMatchEulerDiscreteScheduler(FlowMatchEulerDiscreteSchedulerConfig.Sd3 with { NumTrainTimesteps = 1 });
        scheduler.SetTimesteps(3);
        scheduler.Timesteps.Should().OnlyContain(t => t == scheduler.Timesteps[0]);
        scheduler.IndexForTimestep(scheduler.Timesteps[0]).Should().Be(1);
        using var x = ones(1, 2);
        using var next = scheduler.Step(x, scheduler.Timesteps[0], x);
        scheduler.StepIndex.Should().Be(2);
    }

    [Fact]
    public void Training_index_view_returns_fixture_sigmas_and_timesteps_for_tsdsr_indices()
    {
        var scheduler = FromFixtureConfig();
        long[] idx = [0, 50, 100, 949, 999];
        using var indices = tensor(idx);
        using var s = scheduler.TrainSigmasAt(indices);
        using var t = scheduler.TrainTimestepsAt(indices);
        var gs = Golden("sigmas");
        var gt = Golden("timesteps");
        s.data<float>().ToArray().Should().Equal(idx.Select(i => gs[i]));
        t.data<float>().ToArray().Should().Equal(idx.Select(i => gt[i]));
        using var all = scheduler.TrainSigmasTensor();
        all.shape.Should().Equal(1000);
    }

    [Fact]
    public void ScaleNoise_interpolates_between_sample_and_noise()
    {
        var x0 = fixture["step_sample"];
        var noise = fixture["step_model_output"];
        var scheduler = FromFixtureConfig();
        using var atOne = FlowMatchEulerDiscreteScheduler.ScaleNoise(x0, scheduler.TrainSigmas[0], noise);
        atOne.allclose(noise, 0, 0).Should().BeTrue("σ = 1 is pure noise");
        using var atZero = FlowMatchEulerDiscreteScheduler.ScaleNoise(x0, 0f, noise);
        atZero.allclose(x0, 0, 0).Should().BeTrue("σ = 0 is the clean sample");

        float sigma = scheduler.TrainSigmas[500];
        using var mixed = FlowMatchEulerDiscreteScheduler.ScaleNoise(x0, sigma, noise);
        using var expected = noise * sigma + x0 * (1f - sigma);
        TensorAssert.Close(mixed, expected, 1e-6);

        using var batch = cat([x0, x0], 0);
        using var batchNoise = cat([noise, noise], 0);
        using var perSample = tensor(new[] { 1f, 0f });
        using var both = FlowMatchEulerDiscreteScheduler.ScaleNoise(batch, perSample, batchNoise);
        both[0].allclose(noise[0], 0, 0).Should().BeTrue();
        both[1].allclose(x0[0], 0, 0).Should().BeTrue();
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        var scheduler = FromFixtureConfig();
        scheduler.Invoking(s => s.SetTimesteps(0)).Should().Throw<ArgumentOutOfRangeException>();
        scheduler.SetTimesteps(4);
        var x = fixture["step_sample"];
        scheduler.Invoking(s => s.Step(x, 999.5f, x)).Should().Throw<ArgumentException>().WithMessage("*999.5*");
        using var intT = tensor(new long[] { 1000 });
        scheduler.Invoking(s => s.Step(x, intT, x)).Should().Throw<ArgumentException>().WithMessage("*Integer*");
        using var notF32 = tensor(new[] { 1000.0000001 });
        scheduler.Invoking(s => s.Step(x, notF32, x)).Should().Throw<ArgumentException>();
        using var twoT = tensor(new[] { 1000f, 1000f });
        scheduler.Invoking(s => s.Step(x, twoT, x)).Should().Throw<ArgumentException>();
        using var badIdx = tensor(new long[] { 1000 });
        scheduler.Invoking(s => s.TrainSigmasAt(badIdx)).Should().Throw<ArgumentException>();
        using var floatIdx = tensor(new[] { 1f });
        scheduler.Invoking(s => s.TrainSigmasAt(floatIdx)).Should().Throw<ArgumentException>();
        using var sigma3 = tensor(new[] { 1f, 1f, 1f });
        FluentActions.Invoking(() => FlowMatchEulerDiscreteScheduler.ScaleNoise(x, sigma3, x)).Should().Throw<ArgumentException>();
        scheduler.Invoking(s => s.SetBeginIndex(4)).Should().Throw<ArgumentOutOfRangeException>();

        for (int i = 0; i < 4; i++)
        {
            scheduler.Step(x, scheduler.Timesteps[i], x).Dispose();
        }

        scheduler.Invoking(s => s.Step(x, scheduler.Timesteps[0], x)).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void Config_parsing_ignores_unknown_keys_and_rejects_bad_types_and_unsupported_options()
    {
        var c = FlowMatchEulerDiscreteSchedulerConfig.FromJson("""{"shift": 3.0, "whatever": [1], "shift_terminal": null}""");
        c.Should().Be(FlowMatchEulerDiscreteSchedulerConfig.Sd3);

        FluentActions.Invoking(() => FlowMatchEulerDiscreteSchedulerConfig.FromJson("""{"shift": "3"}""", "x.json"))
            .Should().Throw<FormatException>().WithMessage("*x.json*shift*");
        FluentActions.Invoking(() => FlowMatchEulerDiscreteSchedulerConfig.FromJson("[1]")).Should().Throw<FormatException>();
        FluentActions.Invoking(() => FlowMatchEulerDiscreteSchedulerConfig.FromJson("{")).Should().Throw<FormatException>();
        FluentActions.Invoking(() => FlowMatchEulerDiscreteSchedulerConfig.FromFile("/nonexistent/scheduler_config.json"))
            .Should().Throw<FileNotFoundException>();

        foreach (var bad in new[]
        {
            """{"use_dynamic_shifting": true}""", """{"invert_sigmas": true}""", """{"shift_terminal": 0.1}""",
            """{"use_karras_sigmas": true}""", """{"use_exponential_sigmas": true}""", """{"use_beta_sigmas": true}""",
            """{"stochastic_sampling": true}""",
        })
        {
            var config = FlowMatchEulerDiscreteSchedulerConfig.FromJson(bad);
            FluentActions.Invoking(() => new FlowMatchEulerDiscreteScheduler(config)).Should().Throw<NotSupportedException>(bad);
        }

        FluentActions.Invoking(() => new FlowMatchEulerDiscreteScheduler(new() { Shift = 0 })).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => new FlowMatchEulerDiscreteScheduler(new() { NumTrainTimesteps = 0 })).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => new FlowMatchEulerDiscreteScheduler(new() { TimeShiftType = "cubic" })).Should().Throw<ArgumentException>();
    }
}
