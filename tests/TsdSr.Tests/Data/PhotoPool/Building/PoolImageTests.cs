using TsdSr.Data.PhotoPool.Building;
using TsdSr.Imaging;

namespace TsdSr.Tests.Data.PhotoPool.Building;

public sealed class PoolImageTests
{
    [Theory]
    [InlineData(3840, 2160, 0.5, 1920, 1080)]
    [InlineData(1365, 1074, 0.5, 682, 537)]
    [InlineData(67, 45, 0.5, 33, 22)]
    [InlineData(1, 1, 0.5, 1, 1)]
    [InlineData(1024, 768, 1.0, 1024, 768)]
    public void Scaled_sizes_round_down_and_never_reach_zero(int w, int h, double scale, int ew, int eh)
    {
        PoolImage.ScaledSize(w, h, scale).Should().Be((ew, eh));
    }

    [Fact]
    public void Scale_one_returns_the_decoded_image_unchanged()
    {
        var image = DataTestImages.Texture(9, 7, 3);

        PoolImage.Downscale(image, 1.0).Should().BeSameAs(image);
    }

    [Fact]
    public void An_image_with_transparent_pixels_is_refused()
    {
        var image = DataTestImages.Texture(4, 4, 1);
        var alpha = Enumerable.Repeat((byte)255, 16).ToArray();
        alpha[5] = 0;
        using var png = new MemoryStream();
        ImageCodec.EncodePng(new RgbImage(4, 4, image.Pixels, alpha), png);

        var act = () => PoolImage.Decode(png.ToArray(), "t.png");

        act.Should().Throw<ImageFormatException>().WithMessage("*transparent pixels*");
    }

    [Fact]
    public void Png_bytes_are_those_of_imagesharp_2_1_so_the_committed_manifest_hashes_reproduce()
    {
        // A changed encoder (an ImageSharp upgrade) changes every sha256 in data/photo-pool/manifest.csv; this
        // golden hash makes that visible here first.
        var pixels = new byte[33 * 17 * 3];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)(i * 31 % 251);
        }

        PoolImage.Sha256(PoolImage.EncodePng(new RgbImage(33, 17, pixels))).Should().Be("d3cccaf277d910dd103f1690be80def88c992cf6b01683c7f1204bfd5e9296a8");
    }

    [Fact]
    public void The_pixel_hash_depends_on_the_pixels_and_the_shape_not_on_the_encoding()
    {
        var image = DataTestImages.Texture(6, 4, 2);
        var transposedShape = new RgbImage(4, 6, image.Pixels);
        var changed = new RgbImage(6, 4, (byte[])image.Pixels.Clone());
        changed.Pixels[10] ^= 1;

        PoolImage.PixelSha256(PoolImage.Decode(PoolImage.EncodePng(image), "x")).Should().Be(PoolImage.PixelSha256(image));
        PoolImage.PixelSha256(transposedShape).Should().NotBe(PoolImage.PixelSha256(image));
        PoolImage.PixelSha256(changed).Should().NotBe(PoolImage.PixelSha256(image));
    }
}
