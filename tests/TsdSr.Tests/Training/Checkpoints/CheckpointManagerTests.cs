using TsdSr.Models.Lora;
using TsdSr.Models.Transformers;
using TsdSr.Training.Checkpoints;
using TsdSr.Training.Optimization;
using TsdSr.Training.Randomness;

namespace TsdSr.Tests.Training.Checkpoints;

public sealed class CheckpointManagerTests : IDisposable
{
    private readonly string dir = TrainingTestSupport.TempDir();
    private readonly List<string> log = [];
    private readonly SD3Transformer2DModel model = TrainingTestSupport.TinyTransformer();
    private readonly TrainingOptimizer optimizer;
    private readonly SeededGenerator generator = new(99);

    public CheckpointManagerTests()
    {
        TrainingTestSupport.RandomizeAdapter(model, "default", 8);
        optimizer = new TrainingOptimizer("student", AdapterParameters.Collect((model, "default")), AdamWSettings.Student with { LearningRate = 1e-2 });
    }

    private CheckpointManager Manager(int keep = 3) => new(dir, keep, log.Add);

    private CheckpointContent Content(long step) => new()
    {
        Adapters = [new AdapterSlot("student_transformer", model, "default")],
        Optimizers = [optimizer],
        Generators = new Dictionary<string, SeededGenerator> { ["noise"] = generator },
        GlobalStep = step,
        Extra = { ["loader"] = $"0:{step}" },
    };

    private void TrainStep()
    {
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

        optimizer.Step();
    }

    private Dictionary<string, Tensor> Snapshot() => LoraAdapters.StateDict(model, "default").ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

    private void ShouldMatch(Dictionary<string, Tensor> snapshot)
    {
        foreach (var (k, v) in LoraAdapters.StateDict(model, "default"))
        {
            TrainingTestSupport.ExactlyEqual(v, snapshot[k]).Should().BeTrue(k);
        }
    }

    [Fact]
    public void Round_trip_restores_adapters_optimizer_generator_step_and_extra_values()
    {
        TrainStep();
        var info = Manager().Save(Content(7));
        info.GlobalStep.Should().Be(7);
        File.ReadAllText(Path.Combine(dir, CheckpointManager.LatestFileName)).Trim().Should().Be("checkpoint-00000007");
        var saved = Snapshot();
        using var expectedNoise = generator.RandN(4);
        var expectedLr = optimizer.CurrentLearningRate;

        TrainStep(); // move everything on
        using (generator.RandN(9))
        {
        }

        var content = Content(0);
        content.Extra.Clear();
        var resumed = Manager().TryResume(content);

        resumed!.GlobalStep.Should().Be(7);
        content.GlobalStep.Should().Be(7);
        content.Extra.Should().Contain("loader", "0:7");
        ShouldMatch(saved);
        optimizer.StepCount.Should().Be(1);
        optimizer.CurrentLearningRate.Should().Be(expectedLr);
        using var noise = generator.RandN(4);
        TrainingTestSupport.ExactlyEqual(noise, expectedNoise).Should().BeTrue();
        log.Should().BeEmpty();
    }

    [Fact]
    public void Resumed_training_continues_exactly_like_uninterrupted_training()
    {
        TrainStep();
        Manager().Save(Content(1));
        TrainStep();
        var uninterrupted = Snapshot();
        Manager().TryResume(Content(0));
        TrainStep();
        ShouldMatch(uninterrupted);
    }

    [Fact]
    public void A_partial_temporary_folder_from_a_killed_save_is_ignored_and_cleaned_up()
    {
        Manager().Save(Content(3));
        var saved = Snapshot();
        var partial = Path.Combine(dir, ".tmp-checkpoint-5-deadbeef");
        Directory.CreateDirectory(partial);
        File.WriteAllBytes(Path.Combine(partial, "adapter-student_transformer.safetensors"), [1, 2, 3]);
        TrainStep();

        Manager().TryResume(Content(0))!.GlobalStep.Should().Be(3);
        ShouldMatch(saved);
        Manager().Save(Content(4));
        Directory.Exists(partial).Should().BeFalse();
    }

    [Fact]
    public void A_corrupt_newest_checkpoint_falls_back_to_the_previous_one_with_a_log_line()
    {
        Manager().Save(Content(1));
        var first = Snapshot();
        TrainStep();
        Manager().Save(Content(2));
        var adapter = Path.Combine(dir, "checkpoint-00000002", "adapter-student_transformer.safetensors");
        var bytes = File.ReadAllBytes(adapter);
        bytes[^1] ^= 0x55;
        File.WriteAllBytes(adapter, bytes);

        var content = Content(0);
        Manager().TryResume(content)!.GlobalStep.Should().Be(1);
        ShouldMatch(first);
        log.Should().ContainSingle().Which.Should().Contain("checkpoint-00000002").And.Contain("SHA-256").And.Contain("falling back");
    }

    [Fact]
    public void A_checkpoint_without_manifest_is_never_used()
    {
        Manager().Save(Content(1));
        Manager().Save(Content(2));
        File.Delete(Path.Combine(dir, "checkpoint-00000002", CheckpointManager.ManifestFileName));
        Manager().TryResume(Content(0))!.GlobalStep.Should().Be(1);
        log.Should().ContainSingle().Which.Should().Contain("did not complete");
    }

    [Fact]
    public void No_checkpoint_means_no_resume()
    {
        Manager().TryResume(Content(0)).Should().BeNull();
    }

    [Fact]
    public void Only_the_newest_checkpoints_are_kept()
    {
        for (int s = 1; s <= 4; s++)
        {
            Manager(keep: 2).Save(Content(s));
        }

        Manager().List().Select(c => c.GlobalStep).Should().Equal(4, 3);
    }

    [Fact]
    public void Saving_the_same_step_again_replaces_it()
    {
        Manager().Save(Content(5));
        TrainStep();
        var latest = Snapshot();
        Manager().Save(Content(5));
        Manager().List().Should().ContainSingle();
        TrainStep();
        Manager().TryResume(Content(0));
        ShouldMatch(latest);
    }

    [Fact]
    public void A_checkpoint_of_another_adapter_layout_is_refused_with_a_clear_error()
    {
        Manager().Save(Content(1));
        using var other = new SD3Transformer2DModel(SD3TransformerConfig.Tiny);
        LoraAdapters.Add(other, "default", TrainingTestSupport.SmallTransformerLora with { Rank = 2, Alpha = 2 });
        using var otherOpt = new TrainingOptimizer("student", AdapterParameters.Collect((other, "default")), AdamWSettings.Student);
        var content = new CheckpointContent
        {
            Adapters = [new AdapterSlot("student_transformer", other, "default")],
            Optimizers = [otherOpt],
        };
        FluentActions.Invoking(() => Manager().TryResume(content))
            .Should().Throw<CheckpointException>().WithMessage("*shape mismatch*");
    }

    public void Dispose()
    {
        optimizer.Dispose();
        generator.Dispose();
        model.Dispose();
        TrainingTestSupport.DeleteDir(dir);
    }
}
