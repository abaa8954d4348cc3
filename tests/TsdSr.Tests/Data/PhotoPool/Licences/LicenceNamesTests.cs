using TsdSr.Data.PhotoPool.Licences;

namespace TsdSr.Tests.Data.PhotoPool.Licences;

public sealed class LicenceNamesTests
{
    [Theory]
    [InlineData("Public domain", "public-domain")]
    [InlineData("Public Domain", "public-domain")]
    [InlineData("CC-BY-SA 4.0", "CC-BY-SA-4.0")]
    [InlineData("CC-BY-SA-4.0", "CC-BY-SA-4.0")]
    [InlineData("CC-BY 2.0", "CC-BY-2.0")]
    [InlineData("cc0-1.0", "CC0-1.0")]
    [InlineData(" LGPLv3 ", "LGPL-3.0")]
    [InlineData("GNU-FDL", "GFDL")]
    [InlineData("Some custom licence", "Some custom licence")]
    public void Spellings_found_in_the_packages_map_to_one_identifier(string text, string expected)
    {
        LicenceNames.Normalize(text).Should().Be(expected);
    }
}
