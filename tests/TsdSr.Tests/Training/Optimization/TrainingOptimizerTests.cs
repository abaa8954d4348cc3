using TsdSr.Tests.TestSupport;
using TorchSharp.Modules;
using TsdSr.Models.Lora;
using TsdSr.Training.Optimization;
using TsdSr.Training.Schedules;

namespace TsdSr.Tests.Training.Optimization;

public sealed class TrainingOptimizerTests
{
    private static Parameter Scalar(float value) => new(tensor(new[] { value }), requires_grad: true);

    [Fact]
    public void One_adamw_step_matches_the_hand_computed_update()
    {
        using var p = Scalar(1f);
        var settings = new AdamWSettings { LearningRate = 0.1, WeightDecay = 0.01, MaxGradNorm = 0 };
        using var opt = new TrainingOptimizer("t", [p], settings);
        using (var loss = p.mul(0.5f).sum())
        {
            loss.backward(); // grad 0.5
        }

        opt.Step();
        // Decoupled decay: 1·(1 − 0.1·0.01) = 0.999; m̂ = 0.5, v̂ = 0.25 → update 0.1·0.5/(0.5 + 1e-8).
        double expected = 0.999 - (0.1 * 0.5 / (0.5 + 1e-8));
        ((double)p.item<float>()).Should().BeApproximately(expected, 1e-6);
        opt.StepCount.Should().Be(1);
    }

    [Fact]
    public void Clipping_scales_the_global_norm_over_the_whole_group()
    {
        using var a = Scalar(0f);
        using var b = Scalar(0f);
        using var opt = new TrainingOptimizer("clip", [a, b], new AdamWSettings { MaxGradNorm = 1.0 });
        using (var loss = a.mul(3f).add(b.mul(4f)).sum())
        {
            loss.backward();
        }

        opt.ClipGradients().Should().BeApproximately(5.0, 1e-5);
        ((double)a.grad!.item<float>()).Should().BeApproximately(0.6, 1e-5);
        ((double)b.grad!.item<float>()).Should().BeApproximately(0.8, 1e-5);
    }

    [Fact]
    public void Step_applies_the_schedule_and_zeroes_the_gradients()
    {
        using var p = Scalar(1f);
        var schedule = new LrSchedule { Kind = LrScheduleKind.ConstantWithWarmup, WarmupSteps = 4, TotalSteps = 10 };
        using var opt = new TrainingOptimizer("s", [p], new AdamWSettings { LearningRate = 1e-3 }, schedule);
        opt.CurrentLearningRate.Should().Be(0);
        for (int i = 1; i <= 3; i++)
        {
            using (var loss = p.sum())
            {
                loss.backward();
            }

            opt.Step();
            opt.CurrentLearningRate.Should().BeApproximately(1e-3 * i / 4, 1e-15);
            p.grad!.item<float>().Should().Be(0f);
        }
    }

    [Fact]
    public void A_student_step_changes_only_the_student_adapter()
    {
        using var model = TrainingTestSupport.TinyTransformer();
        TrainingTestSupport.RandomizeAdapter(model, "default", 3);
        TrainingTestSupport.RandomizeAdapter(model, "reg", 4);
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        LoraAdapters.SetActive(model, "default");
        using var opt = new TrainingOptimizer("student", AdapterParameters.Collect((model, "default")), AdamWSettings.Student with { LearningRate = 1e-2 });
        var (x, c, pooled, t) = TrainingTestSupport.TinyInputs();
        using (x)
        using (c)
        using (pooled)
        using (t)
        using (var v = model.forward(x, c, pooled, t))
        using (var loss = v.square().mean())
        {
            loss.backward();
        }

        opt.Step();
        var changed = model.named_parameters().Where(p => !TrainingTestSupport.ExactlyEqual(p.parameter, before[p.name])).Select(p => p.name).ToList();
        changed.Should().NotBeEmpty();
        changed.Should().OnlyContain(n => n.Contains(".default.", StringComparison.Ordinal), "only the student adapter may move");
        foreach (var t0 in before.Values)
        {
            t0.Dispose();
        }
    }

    [Fact]
    public void Saved_state_restores_moments_step_count_and_learning_rate()
    {
        var schedule = new LrSchedule { Kind = LrScheduleKind.Linear, WarmupSteps = 2, TotalSteps = 20 };
        using var p1 = Scalar(1f);
        using var p2 = Scalar(1f);
        using var o1 = new TrainingOptimizer("x", [p1], new AdamWSettings { LearningRate = 0.1 }, schedule);
        using var o2 = new TrainingOptimizer("x", [p2], new AdamWSettings { LearningRate = 0.1 }, schedule);
        void TrainStep(Parameter p, TrainingOptimizer o, float g)
        {
            using (var loss = p.mul(g).sum())
            {
                loss.backward();
            }

            o.Step();
        }

        TrainStep(p1, o1, 0.7f);
        TrainStep(p1, o1, -0.2f);
        using var ms = new MemoryStream();
        o1.SaveState(ms);
        ms.Position = 0;
        using (no_grad())
        {
            p2.copy_(p1);
        }

        o2.LoadState(ms);
        o2.StepCount.Should().Be(2);
        o2.CurrentLearningRate.Should().Be(o1.CurrentLearningRate);
        TrainStep(p1, o1, 0.3f);
        TrainStep(p2, o2, 0.3f);
        p2.item<float>().Should().Be(p1.item<float>());
    }

    [Fact]
    public void State_of_another_optimizer_is_rejected()
    {
        using var p = Scalar(1f);
        using var a = new TrainingOptimizer("a", [p], new AdamWSettings());
        using var b = new TrainingOptimizer("b", [p], new AdamWSettings());
        using var ms = new MemoryStream();
        a.SaveState(ms);
        ms.Position = 0;
        FluentActions.Invoking(() => b.LoadState(ms)).Should().Throw<InvalidDataException>().WithMessage("*'a'*");
    }

    [Fact]
    public void Empty_or_frozen_parameter_lists_are_rejected()
    {
        FluentActions.Invoking(() => new TrainingOptimizer("e", [], new AdamWSettings())).Should().Throw<ArgumentException>().WithMessage("*no parameter*");
        using var frozen = new Parameter(zeros(1), requires_grad: false);
        FluentActions.Invoking(() => new TrainingOptimizer("f", [frozen], new AdamWSettings())).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Reference_defaults_are_the_released_script_values()
    {
        AdamWSettings.Student.LearningRate.Should().Be(5e-6);
        AdamWSettings.FakeScore.LearningRate.Should().Be(1e-6);
        AdamWSettings.Student.Should().BeEquivalentTo(new { Beta1 = 0.9, Beta2 = 0.999, WeightDecay = 1e-4, Epsilon = 1e-8, MaxGradNorm = 1.0 });
    }

    [Fact]
    public void A_step_leaves_no_live_tensors()
    {
        using var p = Scalar(1f);
        using var opt = new TrainingOptimizer("leak", [p], new AdamWSettings());
        LeakCheck.NoLiveTensorsAfter(() =>
        {
            using (var scaled = p.mul(2f))
            using (var loss = scaled.sum())
            {
                loss.backward();
            }

            opt.Step();
        });
    }
}
