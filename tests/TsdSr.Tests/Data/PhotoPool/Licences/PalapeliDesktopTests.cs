using TsdSr.Data.PhotoPool;
using TsdSr.Data.PhotoPool.Licences;

namespace TsdSr.Tests.Data.PhotoPool.Licences;

public sealed class PalapeliDesktopTests
{
    [Fact]
    public void The_desktop_entry_group_gives_licence_author_and_website()
    {
        const string text = """
            [Desktop Entry]
            Name=Citrus Fruits
            Name[de]=Zitrusfrüchte
            X-KDE-PluginInfo-Author=US Department of Agriculture
            X-KDE-PluginInfo-Website=http://commons.wikimedia.org/wiki/Image:Citrus_fruits.jpg
            X-KDE-PluginInfo-License=Public Domain

            [Job]
            X-KDE-PluginInfo-License=GPL
            """;

        PalapeliDesktop.Parse(text).Should().Be(new PhotoLicence("public-domain", "US Department of Agriculture", "http://commons.wikimedia.org/wiki/Image:Citrus_fruits.jpg"));
    }

    [Fact]
    public void Keys_outside_the_desktop_entry_group_are_ignored()
    {
        PalapeliDesktop.Parse("[Job]\nX-KDE-PluginInfo-License=GPL\n").Should().BeNull();
    }

    [Fact]
    public void Fdl_spellings_become_one_identifier()
    {
        PalapeliDesktop.Parse("[Desktop Entry]\nX-KDE-PluginInfo-License=GNU-FDL\n")!.Licence.Should().Be("GFDL");
        PalapeliDesktop.Parse("[Desktop Entry]\nX-KDE-PluginInfo-License=FDL\n")!.Licence.Should().Be("GFDL");
    }
}
