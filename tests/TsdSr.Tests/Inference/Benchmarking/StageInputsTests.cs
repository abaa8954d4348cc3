using TsdSr.Inference.Benchmarking;

namespace TsdSr.Tests.Inference.Benchmarking;

/// <summary>The random stage inputs of the benchmarks take their sizes from the models' configs.</summary>
public sealed class StageInputsTests
{
    [Fact]
    public void Shapes_and_dtypes_follow_the_model_configs_and_the_output_size()
    {
        var (transformer, vae) = RandomPipeline.CreateModels(ModelFamily.Nano);
        using (transformer)
        using (vae)
        using (var inputs = StageInputs.Create(transformer, vae, promptTokens: 8, ScalarType.BFloat16, size: 256))
        {
            // nano: a 4x VAE with 8 latent channels; joint and pooled widths 64.
            inputs.Pixels.shape.Should().Equal(1, 3, 256, 256);
            inputs.Latent.shape.Should().Equal(1, 8, 64, 64);
            inputs.Prompt.shape.Should().Equal(1, 8, 64);
            inputs.Pooled.shape.Should().Equal(1, 64);
            inputs.Pixels.dtype.Should().Be(ScalarType.BFloat16);
            inputs.Timestep.dtype.Should().Be(ScalarType.Float32);
            inputs.Timestep.item<float>().Should().Be(1000f);
            inputs.Pixels.abs().max().to(ScalarType.Float32).item<float>().Should().BeLessThanOrEqualTo(1f);
        }
    }
}
