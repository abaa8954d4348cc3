using TsdSr.Data.PhotoPool;

namespace TsdSr.Tests.Data.PhotoPool;

public sealed class PathPatternTests
{
    [Theory]
    [InlineData("usr/share/backgrounds/*.jpg", "usr/share/backgrounds/Bridge_by_Sander_Klootwijk.jpg", "Bridge_by_Sander_Klootwijk")]
    [InlineData("usr/share/wallpapers/*/contents/images/2560x1600.jpg", "usr/share/wallpapers/FallenLeaf/contents/images/2560x1600.jpg", "FallenLeaf")]
    [InlineData("usr/share/tuxtype/images/kcas*.jpg", "usr/share/tuxtype/images/kcas10.jpg", "kcas10")]
    [InlineData("a/resource/*/*.webp", "a/resource/france/eiffelTower.webp", "france|eiffelTower")]
    [InlineData("a/b.png", "a/b.png", "")]
    public void Matching_paths_yield_the_segments_the_wildcards_matched(string pattern, string path, string expected)
    {
        var segments = new PathPattern(pattern).WildcardSegments(path);

        segments.Should().NotBeNull();
        string.Join('|', segments!).Should().Be(expected);
    }

    [Theory]
    [InlineData("usr/share/backgrounds/*.jpg", "usr/share/backgrounds/sub/x.jpg")]
    [InlineData("usr/share/backgrounds/*.jpg", "usr/share/backgrounds/x.png")]
    [InlineData("usr/share/tuxtype/images/kcas*.jpg", "usr/share/tuxtype/images/tux.jpg")]
    [InlineData("usr/share/wallpapers/*/contents/images/2560x1600.jpg", "usr/share/wallpapers/A/contents/images/1920x1080.jpg")]
    [InlineData("a/B.png", "a/b.png")]
    public void A_wildcard_never_crosses_a_slash_and_literals_are_case_sensitive(string pattern, string path)
    {
        new PathPattern(pattern).IsMatch(path).Should().BeFalse();
    }

    [Theory]
    [InlineData("usr/share/wallpapers/*/contents/images/2560x1600.jpg", "usr/share/wallpapers")]
    [InlineData("usr/share/tuxtype/images/kcas*.jpg", "usr/share/tuxtype/images")]
    [InlineData("*.png", "")]
    public void The_literal_prefix_is_the_folder_to_search_from(string pattern, string prefix)
    {
        new PathPattern(pattern).LiteralPrefix.Should().Be(prefix);
    }

    [Theory]
    [InlineData("/usr/share/x.jpg")]
    [InlineData("usr//x.jpg")]
    [InlineData("usr/../etc/passwd")]
    [InlineData("./x.jpg")]
    public void Rooted_or_escaping_patterns_are_refused(string pattern)
    {
        var act = () => new PathPattern(pattern);

        act.Should().Throw<ArgumentException>();
    }
}
