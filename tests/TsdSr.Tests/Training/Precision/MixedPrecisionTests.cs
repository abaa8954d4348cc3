using TsdSr.Models.Lora;
using TsdSr.Training.Optimization;
using TsdSr.Training.Precision;

namespace TsdSr.Tests.Training.Precision;

public sealed class MixedPrecisionTests
{
    [Fact]
    public void After_a_bf16_step_lora_stays_fp32_and_moves_while_the_base_is_untouched_bit_for_bit()
    {
        using var model = TrainingTestSupport.TinyTransformer(withFakeScore: false);
        TrainingTestSupport.RandomizeAdapter(model, "default", 5);
        MixedPrecision.CastBaseKeepAdaptersFp32(model, ScalarType.BFloat16);
        MixedPrecision.Verify(model, ScalarType.BFloat16);
        var baseBefore = model.named_parameters().Where(p => !LoraAdapters.IsLoraParameterName(p.name))
            .ToDictionary(p => p.name, p => p.parameter.detach().clone());
        var loraBefore = LoraAdapters.NamedParameters(model, "default").ToDictionary(p => p.Name, p => p.Parameter.detach().clone());
        baseBefore.Values.Should().OnlyContain(t => t.dtype == ScalarType.BFloat16);

        using var opt = new TrainingOptimizer("student", AdapterParameters.Collect((model, "default")), AdamWSettings.Student with { LearningRate = 1e-2 });
        var (x, c, pooled, t) = TrainingTestSupport.TinyInputs();
        using (var scope = NewDisposeScope())
        {
            var v = model.forward(
                MixedPrecision.ToCompute(x, ScalarType.BFloat16),
                MixedPrecision.ToCompute(c, ScalarType.BFloat16),
                MixedPrecision.ToCompute(pooled, ScalarType.BFloat16),
                t);
            v.dtype.Should().Be(ScalarType.BFloat16);
            var loss = MixedPrecision.ToMaster(v).square().mean();
            loss.backward();
        }

        opt.Step();
        MixedPrecision.Verify(model, ScalarType.BFloat16);
        foreach (var (name, p) in LoraAdapters.NamedParameters(model, "default"))
        {
            p.dtype.Should().Be(ScalarType.Float32, name);
        }

        LoraAdapters.NamedParameters(model, "default").Count(p => !TrainingTestSupport.ExactlyEqual(p.Parameter, loraBefore[p.Name])).Should().BePositive();
        foreach (var (name, p) in model.named_parameters().Where(p => !LoraAdapters.IsLoraParameterName(p.name)))
        {
            TrainingTestSupport.ExactlyEqual(p, baseBefore[name]).Should().BeTrue($"{name} is frozen base weight");
        }

        foreach (var d in baseBefore.Values.Concat(loraBefore.Values).Append(x).Append(c).Append(pooled).Append(t))
        {
            d.Dispose();
        }
    }

    [Fact]
    public void Verify_names_parameters_of_the_wrong_dtype()
    {
        using var model = TrainingTestSupport.TinyTransformer(withFakeScore: false);
        model.to(ScalarType.BFloat16); // adapters now bf16 too
        FluentActions.Invoking(() => MixedPrecision.Verify(model, ScalarType.BFloat16))
            .Should().Throw<InvalidOperationException>().WithMessage("*lora_*BFloat16*expected Float32*");
    }
}
