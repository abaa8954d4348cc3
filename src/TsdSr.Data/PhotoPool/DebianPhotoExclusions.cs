namespace TsdSr.Data.PhotoPool;

/// <summary>
/// Photos the Debian sources match but that are not used, decided by looking at each one on a contact sheet and at
/// full size (<c>tsdsr photos --contact-sheets DIR</c> shows them framed in red).
/// </summary>
internal static class DebianPhotoExclusions
{
    private const string Gcompris = "gcompris-qt-data";
    private const string Monuments = "usr/share/gcompris-qt/rcc/explore_monuments.rcc";
    private const string MonumentsFolder = "gcompris/src/activities/explore_monuments/resource/";
    private const string Music = "usr/share/gcompris-qt/rcc/explore_world_music.rcc";
    private const string MusicFolder = "gcompris/src/activities/explore_world_music/resource/music/";
    private const string People = "identifiable people (performers) are the subject";
    private const string Edje = "usr/share/enlightenment/data/backgrounds/";

    public static IReadOnlyList<PhotoExclusion> All { get; } =
    [
        new(Gcompris, Monuments, MonumentsFolder + "egypt/redPyramid.webp", "upscaled from a small original: soft, with blocking in the sky"),
        new(Gcompris, Monuments, MonumentsFolder + "india/rangGhar.webp", "upscaled: soft edges with ringing"),
        new(Gcompris, Monuments, MonumentsFolder + "usa/castleClinton.webp", "upscaled scan of a 1961 black-and-white print: soft and blocky"),
        new(Gcompris, Monuments, MonumentsFolder + "usa/georgeWashingtonBirthplace.webp", "scanned slide: the slide's black frame is in the picture"),
        new(Gcompris, "usr/share/gcompris-qt/rcc/clickgame.rcc", "gcompris/src/activities/clickgame/resource/sea1.webp", "murky water, soft at native size (looks upscaled)"),
        new(Gcompris, Music, MusicFolder + "australia.webp", People),
        new(Gcompris, Music, MusicFolder + "ireland.webp", People),
        new(Gcompris, Music, MusicFolder + "italy.webp", People),
        new(Gcompris, Music, MusicFolder + "japan.webp", People),
        new(Gcompris, Music, MusicFolder + "mexico.webp", People),
        new(Gcompris, Music, MusicFolder + "orchestra.webp", People),
        new("lomiri-wallpapers-16.04", "usr/share/backgrounds/analogpattern_by_Peter_Nerlich.jpg", null, "blurred abstract pattern, not a scene"),
        new("lomiri-wallpapers-16.04", "usr/share/backgrounds/umang_by_Abhishek_Mudgal.jpg", null, "render"),
        new("lomiri-wallpapers-20.04", "usr/share/backgrounds/Fossa_by_Jasper_Roks.jpg", null, "render (abstract gradient shapes)"),
        new("lomiri-wallpapers-20.04", "usr/share/backgrounds/Infinite-Sea_by_Aury88.jpg", null, "composite: a Milky Way and sea rendered over a gradient"),
        new("lomiri-wallpapers-20.04", "usr/share/backgrounds/Painting-Colors_by__herobrine7gamer.jpg", null, "illustration: flat colour stripes"),
        new("plasma-workspace-wallpapers", "usr/share/wallpapers/Autumn/contents/images/2560x1600.jpg", null, "illustration (a painted tree and figure)"),
        new("plasma-workspace-wallpapers", "usr/share/wallpapers/BytheWater/contents/images/2560x1600.jpg", null, "heavy colour filter and vignette; most of the frame is out of focus"),
        new("plasma-workspace-wallpapers", "usr/share/wallpapers/DarkestHour/contents/images/2560x1600.jpg", null, "almost featureless: fog at dusk"),
        new("enlightenment-data", Edje + "Dunes.edj", null, "illustration (flat vector dunes)"),
        new("enlightenment-data", Edje + "Flat-Fan.edj", null, "render (flat design)"),
        new("enlightenment-data", Edje + "Flat-Stone-Pattern.edj", null, "render: a dark tiling pattern"),
        new("enlightenment-data", Edje + "Foggy-Trees.edj", null, "almost featureless: trees in near-black fog"),
        new("enlightenment-data", Edje + "Paper-Flower.edj", null, "a paper texture that an illustration is drawn over, not a scene"),
        new("enlightenment-data", Edje + "Sunset-Hills.edj", null, "illustration (vector hills over a gradient)"),
    ];
}
