namespace TsdSr.Data.PhotoPool;

/// <summary>Licences the packages state where the readers do not look.</summary>
internal static class DebianKnownLicences
{
    private const string Skimage = "usr/lib/python3/dist-packages/skimage/data/";

    public static IReadOnlyList<KnownLicence> All { get; } =
    [
        new(
            new PhotoKey("gcompris-qt-data", "usr/share/gcompris-qt/rcc/explore_monuments.rcc", "gcompris/src/activities/explore_monuments/resource/germany/aulaPalatina.webp"),
            new PhotoLicence("public-domain", "Berthold Werner", "https://commons.wikimedia.org/wiki/File:Trier_Konstantinbasilika_BW_1.JPG"),
            "the README beside it, whose entry misspells the file as 'germany/audaPalatina.webp' (the Konstantinbasilika is the Aula Palatina)"),
        new(
            new PhotoKey("python3-skimage", Skimage + "coffee.png"),
            new PhotoLicence("CC0-1.0", "Rachel Michetti (courtesy of Pikolo Espresso Bar)"),
            "the docstring of skimage.data.coffee in skimage/data/_fetchers.py"),
        new(
            new PhotoKey("python3-skimage", Skimage + "chelsea.png"),
            new PhotoLicence("CC0-1.0", "Stefan van der Walt"),
            "the docstring of skimage.data.chelsea in skimage/data/_fetchers.py"),
    ];
}
