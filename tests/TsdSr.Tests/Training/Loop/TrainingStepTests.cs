using TsdSr.Tests.TestSupport;
using TsdSr.Training.Config;
using TsdSr.Training.Dasm;
using TsdSr.Training.Data;
using TsdSr.Training.Loop;

namespace TsdSr.Tests.Training.Loop;

public class TrainingStepTests
{
    [Fact]
    public void A_student_update_changes_only_the_student_transformer_and_vae_encoder_adapters()
    {
        using var setup = LoopTestSetup.Create();
        using var batch = LoopTestSetup.RandomBatch();
        var before = setup.Snapshot();

        var result = setup.Step.Run(batch, 0, StepRecipe.Reference with { UpdateFakeScore = false });

        var changed = setup.ChangedSince(before);
        changed.Should().NotBeEmpty();
        changed.Should().OnlyContain(k => k.Contains(".student.") && (k.Contains("lora_A") || k.Contains("lora_B")),
            "the base, the teacher LoRA and the fake-score LoRA must stay bit-identical");
        changed.Should().Contain(k => k.StartsWith("transformer:", StringComparison.Ordinal));
        changed.Should().Contain(k => k.StartsWith("vae:encoder.", StringComparison.Ordinal));
        result.StudentGradNorm.Should().BeGreaterThan(0);
        result.FakeScoreLoss.Should().BeNull();
    }

    [Fact]
    public void A_fake_score_update_changes_only_the_fake_score_adapter()
    {
        using var setup = LoopTestSetup.Create();
        using var batch = LoopTestSetup.RandomBatch();
        var before = setup.Snapshot();

        var result = setup.Step.Run(batch, 0, StepRecipe.Reference with { UpdateStudent = false });

        var changed = setup.ChangedSince(before);
        changed.Should().NotBeEmpty();
        changed.Should().OnlyContain(k => k.StartsWith("transformer:", StringComparison.Ordinal) && k.Contains(".fake_score."));
        result.FakeScoreLoss.Should().BeGreaterThan(0);
        result.FakeScoreGradNorm.Should().BeGreaterThan(0);
        result.StudentLoss.Should().BeNull();
        result.TsdLoss.Should().BeNull("the teacher is not run when the student is not updated");
    }

    [Fact]
    public void With_the_data_loss_weighted_zero_the_student_latent_receives_exactly_the_tsd_gradient_over_numel()
    {
        using var setup = LoopTestSetup.Create(TrainingStepOptions.Reference with { PerceptualWeight = 0 });
        using var batch = LoopTestSetup.RandomBatch();
        Tensor? tsdGrad = null, latentGrad = null;
        setup.Step.Observer = (name, t) =>
        {
            if (name == TrainingStep.ObservedTsdGradient)
            {
                tsdGrad = t.detach().clone().DetachFromDisposeScope();
            }
            else if (name == TrainingStep.ObservedStudentLatentGrad)
            {
                latentGrad = t.detach().clone().DetachFromDisposeScope();
            }
        };

        setup.Step.Run(batch, 0, StepRecipe.Reference with { LatentMseWeight = 0, UpdateFakeScore = false });

        using (tsdGrad)
        using (latentGrad)
        {
            tsdGrad.Should().NotBeNull();
            latentGrad.Should().NotBeNull();
            using var absMax = tsdGrad!.abs().max();
            absMax.item<float>().Should().BeGreaterThan(0, "the teacher LoRA makes teacher and fake score differ");
            using var expected = tsdGrad.div(tsdGrad.numel());
            using var scale = expected.abs().max();
            TensorAssert.Close(latentGrad!, expected, 1e-6 * scale.item<float>(), "dL/dẑ = grad / numel(ẑ)");
        }
    }

    [Fact]
    public void The_student_latent_is_the_lr_latent_minus_the_student_velocity_at_t_1000_with_the_default_prompt()
    {
        using var setup = LoopTestSetup.Create();
        using var batch = LoopTestSetup.RandomBatch();
        var seen = new Dictionary<string, Tensor>();
        setup.Step.Observer = (name, t) => seen[name] = t.detach().clone().DetachFromDisposeScope();

        // The fake-score update leaves the student adapter as it was, so v can be recomputed afterwards.
        setup.Step.Run(batch, 0, StepRecipe.Reference with { UpdateStudent = false });

        using var zL = seen[TrainingStep.ObservedLrLatent];
        using var zHat = seen[TrainingStep.ObservedStudentLatent];
        using var zH = seen[TrainingStep.ObservedHrLatent];
        using var noGrad = torch.no_grad();
        setup.Models.UseStudent();
        using var prompt = setup.Prompt.PromptEmbeds.repeat(2, 1, 1);
        using var pooled = setup.Prompt.PooledPromptEmbeds.repeat(2, 1);
        using var t = torch.full(2, 1000f);
        using var v = setup.Models.Transformer.forward(zL, prompt, pooled, t);
        using var expected = zL.sub(v);
        TensorAssert.Close(zHat, expected, 1e-6, "ẑ = z_L − σ(1000)·v with σ(1000) = 1");
        zL.shape.Should().Equal(2, 16, 8, 8);
        zH.shape.Should().Equal(zL.shape);
    }

    [Fact]
    public void A_precomputed_hr_latent_is_used_as_given()
    {
        using var setup = LoopTestSetup.Create();
        using var random = LoopTestSetup.RandomBatch();
        using var latent = torch.randn(2, 16, 8, 8);
        using var batch = new TrainingBatch(random.Gt.clone(), random.LrBicubic.clone(), latent.clone(), null, null, ["a", "b"]);
        Tensor? zH = null;
        setup.Step.Observer = (name, t) =>
        {
            if (name == TrainingStep.ObservedHrLatent)
            {
                zH = t.detach().clone().DetachFromDisposeScope();
            }
        };

        setup.Step.Run(batch, 0);

        using (zH)
        {
            TrainingTestSupport.ExactlyEqual(zH!, latent).Should().BeTrue();
        }
    }

    [Fact]
    public void The_reference_recipe_reports_every_loss_term_and_one_sub_step_per_sample_index()
    {
        using var setup = LoopTestSetup.Create();
        using var batch = LoopTestSetup.RandomBatch();

        var result = setup.Step.Run(batch, 7);

        result.Step.Should().Be(7);
        result.SubSteps.Should().Be(1);
        result.TeacherIndices.Should().HaveCount(2).And.OnlyContain(i => i >= 50 && i < 950);
        result.TsdLoss.Should().BeGreaterThan(0);
        result.Perceptual.Should().BeGreaterThan(0);
        result.LatentMse.Should().BeGreaterThan(0);
        result.ReconstructionLoss.Should().BeApproximately(result.Perceptual!.Value + result.LatentMse, 1e-5);
        result.StudentLoss.Should().BeApproximately(result.ReconstructionLoss + (result.Gamma * result.TsdLoss!.Value), 1e-5);
        result.FakeScoreLoss.Should().NotBeNull();
        result.StudentLearningRate.Should().Be(5e-6);
        result.FakeScoreLearningRate.Should().Be(1e-6);
        result.Timings.Total.Should().BePositive();
    }

    [Fact]
    public void A_reconstruction_only_step_runs_no_distillation()
    {
        using var setup = LoopTestSetup.Create();
        using var batch = LoopTestSetup.RandomBatch();

        var result = setup.Step.Run(batch, 0, StepRecipe.ReconstructionOnly);

        result.TsdLoss.Should().BeNull();
        result.SubSteps.Should().Be(0);
        result.TeacherIndices.Should().BeEmpty();
        result.StudentLoss.Should().BeApproximately(result.ReconstructionLoss, 1e-6);
    }

    [Fact]
    public void A_dasm_planner_gives_the_distillation_its_sub_steps()
    {
        using var setup = LoopTestSetup.Create();
        using var batch = LoopTestSetup.RandomBatch();
        var planner = new DasmSubStepPlanner(new DasmSchedule(new DasmOptions()), setup.Generator);

        var result = setup.Step.Run(batch, 0, StepRecipe.Reference with { SubSteps = planner, LatentMseWeight = 0 });

        result.SubSteps.Should().Be(4);
        result.TsdLoss.Should().BeGreaterThan(0);
        result.ReconstructionLoss.Should().BeApproximately(result.Perceptual!.Value, 1e-6, "the latent MSE is weighted 0");
        planner.LastPlan!.Current.Select(r => r[0]).Should().Equal(result.TeacherIndices.Select(i => (int)i));
    }

    [Fact]
    public void A_configured_stage_maps_to_its_recipe()
    {
        var one = StepRecipe.FromStage(new TrainingStage(1, DasmOptions.Off, 1.0), null);
        one.SubSteps.Should().BeNull();
        one.LatentMseWeight.Should().Be(1.0);
        using var generator = new TsdSr.Training.Randomness.SeededGenerator(1);
        var two = StepRecipe.FromStage(new TrainingStage(2, new DasmOptions(), 0.0), generator);
        two.SubSteps.Should().BeOfType<DasmSubStepPlanner>();
        two.LatentMseWeight.Should().Be(0.0);
        two.Distillation.Should().BeTrue();
    }

    [Fact]
    public void A_perceptual_weight_without_a_perceptual_loss_is_rejected()
    {
        using var setup = LoopTestSetup.Create();
        using var prompt = torch.zeros(1, 7, 32);
        using var pooled = torch.zeros(1, 24);
        var act = () => new TrainingStep(setup.Models, setup.Step.Scheduler, new(prompt, pooled), new(prompt, pooled), null,
            setup.Generator, TrainingStepOptions.Reference, setup.StudentOptimizer, setup.FakeOptimizer);
        act.Should().Throw<ArgumentException>().WithMessage("*PerceptualWeight*");
    }

    [Fact]
    public void Steps_leave_no_live_tensors_behind()
    {
        using var setup = LoopTestSetup.Create();
        LeakCheck.NoLiveTensorsAfter(() =>
        {
            using var batch = LoopTestSetup.RandomBatch();
            setup.Step.Run(batch, 0);
        }, iterations: 2);
    }
}
