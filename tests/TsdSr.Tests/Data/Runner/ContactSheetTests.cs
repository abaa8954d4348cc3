using TsdSr.Data.Runner;

namespace TsdSr.Tests.Data.Runner;

public class ContactSheetTests
{
    [Fact]
    public void Tiles_sit_in_a_grid_separated_by_white_gaps()
    {
        using var black = zeros(1, 3, 64, 64);
        using var small = full(3, 16, 16, 0.5f);
        var sheet = ContactSheet.Build([(IReadOnlyList<Tensor>)[black, small, black], [small, black, small]], 32);
        int g = ContactSheet.Gap;
        (sheet.Width, sheet.Height).Should().Be((3 * 32 + 4 * g, 2 * 32 + 3 * g));
        Pixel(sheet, 0, 0).Should().Be(255, "the border is white");
        Pixel(sheet, g + 5, g + 5).Should().Be(0, "row 0, column 0 is the black image");
        Pixel(sheet, g + 32 + g + 5, g + 5).Should().Be(128, "row 0, column 1 is the grey LR enlarged");
        Pixel(sheet, g + 5, g + 32 + g + 5).Should().Be(128, "row 1, column 0");
    }

    [Fact]
    public void Rows_of_different_lengths_are_rejected()
    {
        using var t = zeros(1, 3, 8, 8);
        var act = () => ContactSheet.Build([(IReadOnlyList<Tensor>)[t, t], [t]], 8);
        act.Should().Throw<ArgumentException>();
    }

    private static byte Pixel(TsdSr.Imaging.RgbImage image, int x, int y) => image.Pixels[((y * image.Width) + x) * 3];
}
