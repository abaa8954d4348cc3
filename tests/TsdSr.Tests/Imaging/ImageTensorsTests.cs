using TsdSr.Imaging;

namespace TsdSr.Tests.Imaging;

public class ImageTensorsTests
{
    [Fact]
    public void ToTensor_is_channels_first_in_unit_range()
    {
        var img = new RgbImage(2, 1, new byte[] { 255, 0, 51, 0, 102, 255 });
        using var t = ImageTensors.ToTensor(img);
        t.shape.Should().Equal(1, 3, 1, 2);
        t[0, 0, 0, 0].item<float>().Should().Be(1f);
        t[0, 2, 0, 0].item<float>().Should().Be(51f / 255f);
        t[0, 1, 0, 1].item<float>().Should().Be(102f / 255f);
    }

    [Fact]
    public void FromTensor_truncates_like_ToPILImage_or_rounds_on_request()
    {
        using var t = tensor(new float[] { 0.999f, 0.5f, -1f, 2f, 0.1f, 0.7f }).reshape(3, 1, 2);
        ImageTensors.FromTensor(t, ByteConversion.Truncate).Pixels.Should().Equal(254, 0, 25, 127, 255, 178);
        ImageTensors.FromTensor(t, ByteConversion.Round).Pixels.Should().Equal(255, 0, 26, 128, 255, 178);
    }

    [Fact]
    public void Byte_tensors_round_trip()
    {
        var img = new RgbImage(3, 2, Enumerable.Range(0, 18).Select(i => (byte)(i * 13)).ToArray());
        using var t = ImageTensors.ToByteTensor(img);
        ImageTensors.FromByteTensor(t).Pixels.Should().Equal(img.Pixels);
    }
}
