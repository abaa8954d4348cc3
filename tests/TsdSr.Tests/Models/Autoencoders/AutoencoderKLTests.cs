using TsdSr.Core.SafeTensors;
using TsdSr.Core.StateDicts;
using TsdSr.Models.Autoencoders;
using TsdSr.Tests.TestSupport;
using Xunit.Abstractions;

namespace TsdSr.Tests.Models.Autoencoders;

/// <summary>The SD3-style VAE reproduces diffusers' AutoencoderKL on the sd3_vae_tiny fixture (fp32, CPU).</summary>
public sealed class AutoencoderKLTests(TinyVaeFixture vae, ITestOutputHelper output) : IClassFixture<TinyVaeFixture>
{
    private const double Atol = 1e-5;

    private double Check(Tensor actual, Tensor expected, string what, double atol = Atol)
    {
        var err = TensorAssert.MaxAbsDiff(actual, expected);
        output.WriteLine($"{what}: max abs error {err:G3}");
        err.Should().BeLessThanOrEqualTo(atol, what);
        return err;
    }

    [Fact]
    public void Fixture_weights_load_strictly_with_the_diffusers_key_set()
    {
        var path = Path.Combine(TinyVaeFixture.Directory, AutoencoderKL.WeightsFileName);
        using var file = SafetensorsFile.Open(path);
        file.Tensors.Should().HaveCount(196);
        vae.Model.state_dict().Keys.Should().BeEquivalentTo(file.Tensors.Keys);

        using var fresh = new AutoencoderKL(AutoencoderKLConfig.Tiny);
        var report = fresh.LoadWeights(file);
        report.IsExact.Should().BeTrue();
        report.Loaded.Should().HaveCount(196);
    }

    [Theory]
    [InlineData("io")]
    [InlineData("io_nonsquare")]
    public void Encode_matches_the_golden_posterior(string io)
    {
        var g = vae.Io[io];
        using var posterior = vae.Model.Encode(g["image"]);
        Check(posterior.Mean, g["latent_mean"], $"{io} latent_mean");
        Check(posterior.LogVar, g["latent_logvar"], $"{io} latent_logvar");
        using var mode = posterior.Mode();
        Check(mode, g["latent_mean"], $"{io} mode");
        using var expectedStd = (g["latent_logvar"] * 0.5).exp();
        Check(posterior.Std, expectedStd, $"{io} std");
    }

    [Theory]
    [InlineData("io")]
    [InlineData("io_nonsquare")]
    public void Decode_matches_the_golden_image(string io)
    {
        var g = vae.Io[io];
        using var decoded = vae.Model.Decode(g["latent_mean"]);
        Check(decoded, g["decoded"], $"{io} decoded");
    }

    [Theory]
    [InlineData("io")]
    [InlineData("io_nonsquare")]
    public void Every_encoder_and_decoder_stage_matches_its_golden_intermediate(string io)
    {
        var g = vae.Io[io];
        var seen = new List<string>();
        void Observe(string prefix, string stage, Tensor t)
        {
            var key = $"intermediate.{prefix}.{stage}";
            if (g.TryGetValue(key, out var expected))
            {
                // Pre-norm activations grow through the decoder; the bound scales with the stage's magnitude.
                var scale = Math.Max(1.0, expected.abs().max().item<float>());
                Check(t, expected, $"{io} {key} (max |x| {scale:G3})", Atol * scale);
                seen.Add(key);
            }
        }

        using (var moments = vae.Model.Encoder.Forward(g["image"], (s, t) => Observe("encoder", s, t)))
        using (var decoded = vae.Model.Decoder.Forward(g["latent_mean"], (s, t) => Observe("decoder", s, t)))
        {
        }

        seen.Should().BeEquivalentTo(g.Keys.Where(k => k.StartsWith("intermediate.", StringComparison.Ordinal)), "every golden stage is checked");
    }

    [Fact]
    public void Encode_and_decode_leave_no_live_tensors()
    {
        var image = vae.Io["io"]["image"];
        LeakCheck.NoLiveTensorsAfter(
            () =>
            {
                using var posterior = vae.Model.Encode(image);
                using var generator = new Generator(7);
                using var sample = posterior.Sample(generator);
                using var decoded = vae.Model.Decode(sample);
            },
            iterations: 1);
    }

    [Fact]
    public void Seeded_sample_is_deterministic_and_equals_mean_plus_std_times_the_generator_noise()
    {
        using var posterior = vae.Model.Encode(vae.Io["io"]["image"]);
        using var a = posterior.Sample(new Generator(1234));
        using var b = posterior.Sample(new Generator(1234));
        using var c = posterior.Sample(new Generator(4321));
        a.allclose(b, 0, 0).Should().BeTrue("the same seed gives the same sample");
        a.allclose(c, 0, 0).Should().BeFalse("another seed gives another sample");

        using var eps = randn(posterior.Mean.shape, generator: new Generator(1234));
        using var expected = posterior.Mean + posterior.Std * eps;
        a.allclose(expected, 0, 0).Should().BeTrue("sample = mean + std·ε with ε from the generator");
        a.shape.Should().Equal(posterior.Mean.shape);
    }

    [Fact]
    public void Bfloat16_encode_and_decode_stay_close_to_the_fp32_golden()
    {
        using var model = AutoencoderKL.FromPretrained(TinyVaeFixture.Directory, ScalarType.BFloat16);
        foreach (var io in new[] { "io", "io_nonsquare" })
        {
            var g = vae.Io[io];
            using var posterior = model.Encode(g["image"]);
            posterior.Mean.dtype.Should().Be(ScalarType.BFloat16);
            Check(posterior.Mean, g["latent_mean"], $"bf16 {io} latent_mean", 0.25);
            Check(posterior.LogVar, g["latent_logvar"], $"bf16 {io} latent_logvar", 0.25);
            using var decoded = model.Decode(g["latent_mean"]);
            decoded.dtype.Should().Be(ScalarType.BFloat16);
            Check(decoded, g["decoded"], $"bf16 {io} decoded", 0.25);
        }
    }

    [Fact]
    public void Mismatched_weights_are_rejected_with_a_key_report()
    {
        using var model = new AutoencoderKL(AutoencoderKLConfig.Tiny with { MidBlockAddAttention = false });
        using var file = SafetensorsFile.Open(Path.Combine(TinyVaeFixture.Directory, AutoencoderKL.WeightsFileName));
        var act = () => model.LoadWeights(file);
        act.Should().Throw<WeightLoadException>().Which.Report.Unexpected.Should().Contain("encoder.mid_block.attentions.0.to_q.weight");
    }

    [Fact]
    public void FromPretrained_reports_missing_files()
    {
        var dir = Directory.CreateTempSubdirectory("tsdsr-vae-").FullName;
        try
        {
            FluentActions.Invoking(() => AutoencoderKL.FromPretrained(Path.Combine(dir, "nope"))).Should().Throw<DirectoryNotFoundException>();
            FluentActions.Invoking(() => AutoencoderKL.FromPretrained(dir)).Should().Throw<DirectoryNotFoundException>().WithMessage("*vae*config.json*");
            File.Copy(Path.Combine(TinyVaeFixture.Directory, "config.json"), Path.Combine(dir, "config.json"));
            FluentActions.Invoking(() => AutoencoderKL.FromPretrained(dir)).Should().Throw<FileNotFoundException>().WithMessage("*diffusion_pytorch_model*");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Bad_inputs_are_rejected()
    {
        using var wrongChannels = zeros(1, 4, 8, 8);
        FluentActions.Invoking(() => vae.Model.Encode(wrongChannels)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => vae.Model.Decode(wrongChannels)).Should().Throw<ArgumentException>();
        using var odd = zeros(1, 3, 2);
        FluentActions.Invoking(() => new DiagonalGaussianDistribution(odd)).Should().Throw<ArgumentException>();
    }
}
