using TsdSr.Models.Autoencoders;

namespace TsdSr.Tests.Models.Autoencoders;

/// <summary>The VAE's analytic compute (for tsdsr bench's efficiency figures), checked against counts done by hand.</summary>
public class AutoencoderKLConfigFlopsTests
{
    // One level of 4 channels, one resnet per level, 2 latent channels, no attention or quant convs.
    private static readonly AutoencoderKLConfig OneLevel = AutoencoderKLConfig.Nano with
    {
        BlockOutChannels = [4],
        DownBlockTypes = ["DownEncoderBlock2D"],
        UpBlockTypes = ["UpDecoderBlock2D"],
        LatentChannels = 2,
        NormNumGroups = 2,
    };

    [Fact]
    public void Encoding_counts_every_convolution_of_the_encoder()
    {
        // 8×8 = 64 pixels, 2·9·Cin·Cout·64 per 3×3 conv: conv_in 3→4 (13,824), one resnet 4→4 (2 × 18,432),
        // the mid block's two resnets (4 × 18,432), conv_out 4→4 (18,432).
        OneLevel.EncodeFlops(8, 8).Should().Be(13_824 + 36_864 + 73_728 + 18_432);
    }

    [Fact]
    public void Decoding_counts_one_more_resnet_per_level_than_encoding()
    {
        // conv_in 2→4 (9,216), mid (73,728), the up block's two resnets (73,728), conv_out 4→3 (13,824).
        OneLevel.DecodeFlops(8, 8).Should().Be(9_216 + 73_728 + 73_728 + 13_824);
    }

    [Fact]
    public void A_down_sampling_level_quarters_the_pixels_of_the_levels_after_it()
    {
        var two = OneLevel with { BlockOutChannels = [4, 4], DownBlockTypes = ["DownEncoderBlock2D", "DownEncoderBlock2D"], UpBlockTypes = ["UpDecoderBlock2D", "UpDecoderBlock2D"] };
        // Level 0 at 64 px (resnet 36,864), its down-sampling conv at 16 px (4,608), level 1 at 16 px (9,216),
        // mid (18,432) and conv_out (4,608) at 16 px.
        two.EncodeFlops(8, 8).Should().Be(13_824 + 36_864 + 4_608 + 9_216 + 18_432 + 4_608);
        two.EncodeFlops(16, 16).Should().BeGreaterThan(3.99 * two.EncodeFlops(8, 8), "convolution work grows with the pixel count");
    }

    [Fact]
    public void Mid_block_attention_adds_its_projections_and_its_quadratic_products()
    {
        var attention = OneLevel with { MidBlockAddAttention = true };
        // q, k, v, out: 4 × 2·4·4·64 = 8,192; Q·Kᵀ and A·V: 2 × 2·64²·4 = 65,536.
        (attention.EncodeFlops(8, 8) - OneLevel.EncodeFlops(8, 8)).Should().Be(8_192 + 65_536);
    }
}
