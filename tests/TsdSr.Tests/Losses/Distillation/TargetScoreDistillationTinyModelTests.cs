using TsdSr.Core.Embeddings;
using TsdSr.Losses.Distillation;
using TsdSr.Losses.Scores;
using TsdSr.Models.Lora;
using TsdSr.Models.Transformers;
using TsdSr.Schedulers;
using TsdSr.Tests.TestSupport;
using Xunit.Abstractions;

namespace TsdSr.Tests.Losses.Distillation;

/// <summary>TSD on a tiny random SD3 with teacher and fake-score adapters on one shared base.</summary>
public class TargetScoreDistillationTinyModelTests(ITestOutputHelper output)
{
    [Fact]
    public void Gradient_into_the_student_latent_equals_the_hand_computed_tsd_formula()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var model = new SD3Transformer2DModel(SD3TransformerConfig.Tiny);
        var lora = LoraConfig.TsdSrTransformer with { Rank = 2, Alpha = 2, Init = LoraInit.Random };
        LoraAdapters.Add(model, "teacher", lora, activate: false);
        LoraAdapters.Add(model, "fake", lora with { TargetModules = ["to_k", "to_q", "to_v", "to_out.0", "add_q_proj", "add_k_proj", "add_v_proj"] }, activate: false);
        LoraAdapters.FreezeBase(model);
        var cond = new PromptEmbeddings(LossTestData.Randn(41, 2, 5, 32), LossTestData.Randn(42, 2, 24));
        var nul = new PromptEmbeddings(LossTestData.Randn(43, 1, 5, 32), LossTestData.Randn(44, 1, 24));
        var tsd = new TargetScoreDistillation(
            new GuidedScoreModel(AdapterScoreModel.Teacher(model, "teacher"), nul),
            new GuidedScoreModel(AdapterScoreModel.FakeScore(model, "fake"), nul),
            new FlowMatchEulerDiscreteScheduler());
        var zHat = LossTestData.Randn(45, 2, 16, 4, 4).requires_grad_(true);
        var zHr = LossTestData.Randn(46, 2, 16, 4, 4);
        var noise = LossTestData.Randn(47, 2, 16, 4, 4);
        long[] indices = [50, 949];

        using var result = tsd.Compute(zHat, zHr, noise, tensor(indices, int64), cond);
        result.Loss.backward();

        Tensor expected;
        using (no_grad())
        {
            var sigma = LossTestData.SigmaColumn(indices).to(float32);
            var t = sigma.flatten().mul(1000);
            var xHat = sigma.mul(noise).add(sigma.neg().add(1).mul(zHat.detach()));
            var xHr = sigma.mul(noise).add(sigma.neg().add(1).mul(zHr));
            var (pn, qn) = nul.ForBatch(2);
            Tensor Cfg(string adapter, Tensor x)
            {
                LoraAdapters.SetActive(model, adapter);
                var u = model.forward(x, pn, qn, t).to(float64);
                var c = model.forward(x, cond.PromptEmbeds, cond.PooledPromptEmbeds, t).to(float64);
                return u.add(c.sub(u).mul(7.5));
            }

            var vTea = Cfg("teacher", xHat);
            var w = sigma.to(float64).square();
            var vsd = vTea.sub(Cfg("fake", xHat)).mul(w);
            var tsm = vTea.sub(Cfg("teacher", xHr)).mul(w);
            expected = vsd.mul(0.7).add(tsm.mul(0.3));
        }

        expected.abs().max().item<double>().Should().BeGreaterThan(1e-3, "the adapters must make teacher and fake differ");
        var diff = TensorAssert.MaxAbsDiff(zHat.grad!, expected.div(zHat.numel()));
        output.WriteLine($"tiny SD3: max |dL/dz - grad/numel| = {diff:E3}, max |grad/numel| = {expected.abs().max().item<double>() / zHat.numel():E3}");
        diff.Should().BeLessThan(1e-6);
    }
}
