using TsdSr.Data.Datasets;
using TsdSr.Data.Random;
using TsdSr.Imaging;

namespace TsdSr.Tests.Data.Datasets;

public class RandomCropTests
{
    [Fact]
    public void Crops_have_the_requested_size_and_come_from_the_image()
    {
        using var image = ImageTensors.ToTensor(DataTestImages.Texture(80, 60, 2));
        var options = new CropOptions { Size = 32, HorizontalFlip = false };
        using var crop = RandomCrop.Sample(image, options, new CounterRng(1));
        crop.Should().NotBeNull();
        crop!.shape.Should().Equal(1, 3, 32, 32);
        using var unfolded = image.unfold(2, 32, 1).unfold(3, 32, 1);
        using var diffs = (unfolded - crop.squeeze(0).unsqueeze(1).unsqueeze(1)).abs().amax([1, 4, 5]);
        diffs.min().item<float>().Should().Be(0f, "the crop equals some window of the image");
    }

    [Fact]
    public void Flips_happen_about_half_the_time()
    {
        using var image = ImageTensors.ToTensor(DataTestImages.Texture(16, 16, 3));
        var options = new CropOptions { Size = 16, MinStdDev = 0 };
        int flipped = 0;
        for (int i = 0; i < 200; i++)
        {
            using var crop = RandomCrop.Sample(image, options, new CounterRng(4, (ulong)i))!;
            using var same = crop.eq(image).all();
            flipped += same.item<bool>() ? 0 : 1;
        }

        flipped.Should().BeInRange(100 - 28, 100 + 28, "p = ½ over 200 draws, within 4 standard errors");
    }

    [Fact]
    public void Small_and_flat_images_give_no_crop()
    {
        using var small = rand(1, 3, 20, 40);
        RandomCrop.Sample(small, new CropOptions { Size = 32 }, new CounterRng(1)).Should().BeNull();
        using var flat = full(1, 3, 64, 64, 0.5f);
        RandomCrop.Sample(flat, new CropOptions { Size = 32 }, new CounterRng(1)).Should().BeNull();
    }
}
