using TsdSr.Data.PhotoPool;
using TsdSr.Data.PhotoPool.Licences;

namespace TsdSr.Tests.Data.PhotoPool.Licences;

public sealed class DebianCopyrightTests
{
    private const string Text = """
        Upstream-Name: lomiri-wallpapers

        Files: *
        Copyright: 2018 Ubuntu community contributors
        License: Expat

        Files: 16.04/Bridge_by_Sander_Klootwijk.jpg
        Copyright: 2018. Sander Klootwijk
        License: CC-BY-SA-4.0

        Files: 16.04/seeding_by_Clements_Engelhardt.jpg
         16.04/other.jpg
        Copyright: Clemens Engelhardt, 2018
          and others
        License: CC0-1.0
         The full text
         of the licence.

        Files: 20.04/Bridge_by_Sander_Klootwijk.jpg
        Copyright: 2021. Sander Klootwijk
        License: CC-BY-SA-3.0
        """;

    [Fact]
    public void A_file_is_matched_by_name_and_takes_the_first_line_of_licence_and_copyright()
    {
        DebianCopyright.Find(Text, "seeding_by_Clements_Engelhardt.jpg").Should().Be(new PhotoLicence("CC0-1.0", "Clemens Engelhardt, 2018"));
        DebianCopyright.Find(Text, "other.jpg")!.Licence.Should().Be("CC0-1.0");
    }

    [Fact]
    public void The_last_matching_paragraph_wins_as_in_dep5()
    {
        DebianCopyright.Find(Text, "Bridge_by_Sander_Klootwijk.jpg").Should().Be(new PhotoLicence("CC-BY-SA-3.0", "2021. Sander Klootwijk"));
    }

    [Fact]
    public void The_catch_all_pattern_is_not_taken_as_a_photo_licence()
    {
        DebianCopyright.Find(Text, "unlisted.jpg").Should().BeNull();
    }
}
