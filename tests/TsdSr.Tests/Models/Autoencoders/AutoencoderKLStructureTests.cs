using TsdSr.Models.Autoencoders;

namespace TsdSr.Tests.Models.Autoencoders;

/// <summary>Module layout and state-dict keys of configurations without a golden file.</summary>
public class AutoencoderKLStructureTests
{
    [Fact]
    public void Sd3_layout_has_the_documented_key_shapes()
    {
        using var vae = new AutoencoderKL(AutoencoderKLConfig.Sd3);
        var shapes = vae.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
        shapes["encoder.conv_in.weight"].Should().Equal(128, 3, 3, 3);
        shapes["encoder.down_blocks.1.resnets.0.conv_shortcut.weight"].Should().Equal(256, 128, 1, 1);
        shapes["encoder.down_blocks.2.downsamplers.0.conv.weight"].Should().Equal(512, 512, 3, 3);
        shapes.Keys.Should().NotContain(k => k.StartsWith("encoder.down_blocks.3.downsamplers", StringComparison.Ordinal));
        shapes["encoder.mid_block.attentions.0.to_q.weight"].Should().Equal(512, 512);
        shapes["encoder.mid_block.attentions.0.to_out.0.weight"].Should().Equal(512, 512);
        shapes["encoder.conv_out.weight"].Should().Equal(32, 512, 3, 3);
        shapes["decoder.conv_in.weight"].Should().Equal(512, 16, 3, 3);
        shapes["decoder.up_blocks.0.resnets.2.conv2.weight"].Should().Equal(512, 512, 3, 3);
        shapes["decoder.up_blocks.2.resnets.0.conv_shortcut.weight"].Should().Equal(256, 512, 1, 1);
        shapes["decoder.up_blocks.3.resnets.0.conv_shortcut.weight"].Should().Equal(128, 256, 1, 1);
        shapes.Keys.Should().NotContain(k => k.StartsWith("decoder.up_blocks.3.upsamplers", StringComparison.Ordinal));
        shapes["decoder.conv_out.weight"].Should().Equal(3, 128, 3, 3);
        shapes.Keys.Should().NotContain(k => k.Contains("quant_conv"));
    }

    [Fact]
    public void Quant_convs_appear_when_configured_and_shape_the_round_trip()
    {
        var config = AutoencoderKLConfig.Tiny with { UseQuantConv = true, UsePostQuantConv = true, LatentChannels = 4 };
        using var vae = new AutoencoderKL(config);
        var shapes = vae.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
        shapes["quant_conv.weight"].Should().Equal(8, 8, 1, 1);
        shapes["post_quant_conv.weight"].Should().Equal(4, 4, 1, 1);

        using var image = rand(1, 3, 16, 24) * 2 - 1;
        using var posterior = vae.Encode(image);
        posterior.Mean.shape.Should().Equal(1, 4, 4, 6);
        using var decoded = vae.Decode(posterior.Mean);
        decoded.shape.Should().Equal(1, 3, 16, 24);
    }

    [Fact]
    public void Mid_block_attention_can_be_left_out()
    {
        using var vae = new AutoencoderKL(AutoencoderKLConfig.Tiny with { MidBlockAddAttention = false });
        vae.state_dict().Keys.Should().NotContain(k => k.Contains("attentions")).And.HaveCount(196 - 20);
    }
}
