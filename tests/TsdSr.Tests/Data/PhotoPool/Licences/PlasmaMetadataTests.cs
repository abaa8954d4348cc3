using TsdSr.Data.PhotoPool;
using TsdSr.Data.PhotoPool.Licences;

namespace TsdSr.Tests.Data.PhotoPool.Licences;

public sealed class PlasmaMetadataTests
{
    [Fact]
    public void Licence_and_author_names_are_read_and_trailing_commas_accepted()
    {
        const string json = """
            {
                "KPlugin": {
                    "Authors": [
                        { "Email": "a@example.org", "Name": "Martin Klapetek", },
                        { "Name": "Someone Else", }
                    ],
                    "Id": "FallenLeaf",
                    "License": "LGPLv3",
                }
            }
            """;

        PlasmaMetadata.Parse(json).Should().Be(new PhotoLicence("LGPL-3.0", "Martin Klapetek, Someone Else"));
    }

    [Theory]
    [InlineData("{ \"KPlugin\": { \"Id\": \"x\" } }")]
    [InlineData("{ \"KPlugin\": { \"License\": 3 } }")]
    [InlineData("not json")]
    public void No_licence_or_no_json_gives_null(string json)
    {
        PlasmaMetadata.Parse(json).Should().BeNull();
    }
}
