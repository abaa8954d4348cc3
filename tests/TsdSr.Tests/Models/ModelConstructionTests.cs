using TorchSharp.Modules;
using TsdSr.Models;
using TsdSr.Models.Autoencoders;
using TsdSr.Models.Lora;
using TsdSr.Models.Normalization;
using TsdSr.Models.Transformers;
using TsdSr.Tests.Models.Lora;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Models;

/// <summary>Loading builds each parameter once, in the target dtype, with no random init; building alone is unchanged.</summary>
public class ModelConstructionTests
{
    [Fact]
    public void Outside_a_scope_layers_are_fp32_and_drawn_from_the_seeded_generator()
    {
        manual_seed(7);
        using var a = new LoraLinear(16, 8);
        manual_seed(7);
        using var b = new LoraLinear(16, 8);
        a.Weight.dtype.Should().Be(ScalarType.Float32);
        a.Weight.SameAs(b.Weight).Should().BeTrue("the same seed gives the same init");
        a.Weight.abs().max().item<float>().Should().BeGreaterThan(0);
    }

    [Fact]
    public void Inside_ForLoading_parameters_take_the_dtype_and_no_random_numbers_are_drawn()
    {
        manual_seed(11);
        using var expected = rand(4);
        manual_seed(11);
        using (ModelConstruction.ForLoading(ScalarType.BFloat16))
        {
            using var linear = new LoraLinear(16, 8);
            using var conv = new LoraConv2d(4, 8, 3, padding: 1);
            using var rms = new RMSNorm(8);
            using var vae = new AutoencoderKL(AutoencoderKLConfig.Tiny);
            linear.Weight.dtype.Should().Be(ScalarType.BFloat16);
            linear.Bias!.dtype.Should().Be(ScalarType.BFloat16);
            conv.Weight.dtype.Should().Be(ScalarType.BFloat16);
            rms.parameters().Single().dtype.Should().Be(ScalarType.BFloat16);
            vae.parameters().Select(p => p.dtype).Distinct().Should().Equal(ScalarType.BFloat16);
            vae.modules().OfType<GroupNorm>().Should().NotBeEmpty();
        }

        // Had any constructor initialised randomly, the generator would have moved on.
        using var next = rand(4);
        next.SameAs(expected).Should().BeTrue();
    }

    [Fact]
    public void Scopes_nest_and_restore_the_defaults()
    {
        using (ModelConstruction.ForLoading(ScalarType.Float16))
        {
            using (ModelConstruction.ForLoading(ScalarType.BFloat16))
            {
                ModelConstruction.DType.Should().Be(ScalarType.BFloat16);
            }

            ModelConstruction.DType.Should().Be(ScalarType.Float16);
            ModelConstruction.SkipInitialisation.Should().BeTrue();
        }

        ModelConstruction.DType.Should().Be(ScalarType.Float32);
        ModelConstruction.SkipInitialisation.Should().BeFalse();
        FluentActions.Invoking(() => ModelConstruction.ForLoading(ScalarType.Int32)).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void A_scope_on_one_thread_does_not_change_another_threads_construction()
    {
        using (ModelConstruction.ForLoading(ScalarType.BFloat16))
        {
            var other = ScalarType.BFloat16;
            var thread = new Thread(() =>
            {
                using var linear = new LoraLinear(4, 4);
                other = linear.Weight.dtype;
            });
            thread.Start();
            thread.Join();
            other.Should().Be(ScalarType.Float32);
            ModelConstruction.DType.Should().Be(ScalarType.BFloat16);
        }
    }

    [Theory]
    [InlineData(ScalarType.BFloat16)]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.Float32)]
    public void The_VAE_loaded_in_a_dtype_equals_the_fp32_load_cast_bit_for_bit(ScalarType dtype)
    {
        var dir = FixturePaths.Get("sd3_vae_tiny");
        using var direct = AutoencoderKL.FromPretrained(dir, dtype);
        using var cast = AutoencoderKL.FromPretrained(dir);
        cast.to(dtype);
        var expected = cast.state_dict();
        foreach (var (name, t) in direct.state_dict())
        {
            t.SameAs(expected[name]).Should().BeTrue(name);
        }
    }

    [Fact]
    public void The_transformer_loaded_in_bf16_equals_the_fp32_load_cast_bit_for_bit()
    {
        var dir = FixturePaths.Get("sd3_transformer_tiny");
        using var direct = SD3Transformer2DModel.FromPretrained(dir, ScalarType.BFloat16);
        using var cast = SD3Transformer2DModel.FromPretrained(dir);
        cast.to(ScalarType.BFloat16);
        var expected = cast.state_dict();
        var actual = direct.state_dict();
        actual.Keys.Should().BeEquivalentTo(expected.Keys);
        foreach (var (name, t) in actual)
        {
            t.SameAs(expected[name]).Should().BeTrue(name);
        }
    }

    [Fact]
    public void Modules_built_for_loading_on_meta_allocate_no_memory()
    {
        using (ModelConstruction.ForLoading(ScalarType.BFloat16, META))
        {
            using var vae = new AutoencoderKL(AutoencoderKLConfig.Sd3);
            vae.parameters().Should().OnlyContain(p => p.device.type == DeviceType.META && p.dtype == ScalarType.BFloat16);
        }
    }
}
