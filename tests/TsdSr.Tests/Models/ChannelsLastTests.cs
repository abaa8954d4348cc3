using TsdSr.Models;
using TsdSr.Models.Autoencoders;
using TsdSr.Tests.Models.Autoencoders;

namespace TsdSr.Tests.Models;

/// <summary>Channels-last layout: detection, conversion, and a VAE that runs NHWC within the golden fp32 bar (1e-5).</summary>
public class ChannelsLastTests : IClassFixture<TinyVaeFixture>
{
    private readonly TinyVaeFixture fixture;

    public ChannelsLastTests(TinyVaeFixture fixture) => this.fixture = fixture;

    [Fact]
    public void To_keeps_values_and_Is_tells_the_layouts_apart()
    {
        using var x = randn(2, 3, 4, 5);
        using var nhwc = ChannelsLast.To(x);
        ChannelsLast.Is(x).Should().BeFalse();
        ChannelsLast.Is(nhwc).Should().BeTrue();
        nhwc.shape.Should().Equal(x.shape);
        nhwc.eq(x).all().item<bool>().Should().BeTrue();
        nhwc.stride().Should().Equal(60, 1, 15, 3);
    }

    [Fact]
    public void A_channels_last_VAE_matches_the_golden_outputs()
    {
        using var vae = AutoencoderKL.FromPretrained(TinyVaeFixture.Directory);
        vae.ToChannelsLast();
        vae.IsChannelsLast.Should().BeTrue();
        vae.modules().OfType<TsdSr.Models.Lora.LoraConv2d>().Where(c => c.KernelSize > 1).Should().OnlyContain(c => ChannelsLast.Is(c.Weight));
        using var noGrad = no_grad();
        var io = fixture.Io["io_nonsquare"];
        using var posterior = vae.Encode(io["image"]);
        posterior.Mean.sub(io["latent_mean"]).abs().max().item<float>().Should().BeLessThan(1e-5f);
        using var decoded = vae.Decode(io["latent_mean"]);
        decoded.is_contiguous().Should().BeTrue("outputs come back in the usual layout");
        decoded.sub(io["decoded"]).abs().max().item<float>().Should().BeLessThan(1e-5f);
    }

    [Fact]
    public void Every_encoder_and_decoder_stage_of_a_channels_last_VAE_stays_channels_last()
    {
        using var vae = new AutoencoderKL(AutoencoderKLConfig.Tiny);
        vae.ToChannelsLast();
        vae.eval();
        using var noGrad = no_grad();
        using var image = ChannelsLast.To(randn(1, 3, 32, 32));
        var layouts = new List<(string Stage, bool ChannelsLast)>();
        using (var moments = vae.Encoder.Forward(image, (stage, t) => layouts.Add(($"encoder {stage}", t.shape[2] * t.shape[3] == 1 || ChannelsLast.Is(t)))))
        using (var latent = ChannelsLast.To(randn(1, AutoencoderKLConfig.Tiny.LatentChannels, 8, 8)))
        using (var decoded = vae.Decoder.Forward(latent, (stage, t) => layouts.Add(($"decoder {stage}", t.shape[2] * t.shape[3] == 1 || ChannelsLast.Is(t)))))
        {
        }

        layouts.Should().NotBeEmpty();
        layouts.Where(l => !l.ChannelsLast).Select(l => l.Stage).Should().BeEmpty("a stage in NCHW makes the next convolution reorder");
    }
}
