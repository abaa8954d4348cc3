namespace TsdSr.Data.PhotoPool;

/// <summary>
/// GCompris photos held out of training: public domain or CC0 only (so they may be redistributed, e.g. as samples),
/// chosen for varied content: feathers, shell and sand, wool, spines, carved rock, stone walls, a façade pattern,
/// a mountain landscape and coral. The scikit-image and JPEG XL test photos are held out as whole sources.
/// </summary>
internal static class DebianHeldOutPhotos
{
    private const string Gcompris = "gcompris-qt-data";
    private const string Rcc = "usr/share/gcompris-qt/rcc/";
    private const string Activities = "gcompris/src/activities/";

    public static IReadOnlyList<PhotoKey> All { get; } =
    [
        new(Gcompris, Rcc + "erase.rcc", Activities + "erase/resource/kingfisher.webp"),
        new(Gcompris, Rcc + "erase.rcc", Activities + "erase/resource/crab.webp"),
        new(Gcompris, Rcc + "explore_farm_animals.rcc", Activities + "explore_farm_animals/resource/animals/sheep.webp"),
        new(Gcompris, Rcc + "explore_farm_animals.rcc", Activities + "explore_farm_animals/resource/animals/chicken.webp"),
        new(Gcompris, Rcc + "explore_world_animals.rcc", Activities + "explore_world_animals/resource/animals/hedgehog.webp"),
        new(Gcompris, Rcc + "explore_monuments.rcc", Activities + "explore_monuments/resource/wonders/petra.webp"),
        new(Gcompris, Rcc + "explore_monuments.rcc", Activities + "explore_monuments/resource/france/citedeCarcassonne.webp"),
        new(Gcompris, Rcc + "explore_monuments.rcc", Activities + "explore_monuments/resource/india/hawaMahal.webp"),
        new(Gcompris, Rcc + "explore_monuments.rcc", Activities + "explore_monuments/resource/wonders/greatWallofChina.webp"),
        new(Gcompris, Rcc + "clickgame.rcc", Activities + "clickgame/resource/sea4.webp"),
    ];
}
