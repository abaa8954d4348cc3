namespace TsdSr.Data.PhotoPool;

/// <summary>
/// The Debian 12 packages that hold real photographs, and where in them. Scales were chosen by looking at 1:1 crops:
/// sources that are already sharp at native size (GCompris, Tux Typing, Palapeli, the test images) stay at 1.0;
/// wallpapers taken with phone or consumer cameras and stored at 2560–6000 px (Lomiri, Plasma, Enlightenment) are
/// soft or noisy at native size and clean at 0.5, which is also how a super-resolution HR target should look.
/// </summary>
internal static class DebianPhotoSources
{
    private const string Gcompris = "gcompris-qt-data";
    private const string Rcc = "usr/share/gcompris-qt/rcc/";
    private const string Activities = "gcompris/src/activities/";

    public static IReadOnlyList<PhotoSource> All { get; } =
    [
        new()
        {
            Id = "gcompris-erase", Package = Gcompris, Container = PhotoContainer.Rcc,
            Paths = [Rcc + "erase.rcc"], Entries = Activities + "erase/resource/*.webp",
            Licence = LicenceSource.GComprisReadme, Description = "animals (Wikimedia Commons, cropped and sharpened by GCompris)",
        },
        new()
        {
            Id = "gcompris-monuments", Package = Gcompris, Container = PhotoContainer.Rcc,
            Paths = [Rcc + "explore_monuments.rcc"], Entries = Activities + "explore_monuments/resource/*/*.webp",
            Licence = LicenceSource.GComprisReadme, Description = "monuments and buildings",
        },
        new()
        {
            Id = "gcompris-world-animals", Package = Gcompris, Container = PhotoContainer.Rcc,
            Paths = [Rcc + "explore_world_animals.rcc"], Entries = Activities + "explore_world_animals/resource/animals/*.webp",
            Licence = LicenceSource.GComprisReadme, Description = "wild animals",
        },
        new()
        {
            Id = "gcompris-farm-animals", Package = Gcompris, Container = PhotoContainer.Rcc,
            Paths = [Rcc + "explore_farm_animals.rcc"], Entries = Activities + "explore_farm_animals/resource/animals/*.webp",
            Licence = LicenceSource.GComprisReadme, Description = "farm animals",
        },
        new()
        {
            Id = "gcompris-underwater", Package = Gcompris, Container = PhotoContainer.Rcc,
            Paths = [Rcc + "clickgame.rcc"], Entries = Activities + "clickgame/resource/sea*.webp",
            Licence = LicenceSource.GComprisReadme, Description = "underwater scenes (the fish sprites beside them are drawings and not matched)",
        },
        new()
        {
            Id = "gcompris-world-music", Package = Gcompris, Container = PhotoContainer.Rcc,
            Paths = [Rcc + "explore_world_music.rcc"], Entries = Activities + "explore_world_music/resource/music/*.webp",
            Licence = LicenceSource.GComprisReadme, Description = "musicians (listed so that the exclusions are explicit)",
        },
        new()
        {
            Id = "lomiri-16.04", Package = "lomiri-wallpapers-16.04", Paths = ["usr/share/backgrounds/*.jpg"],
            Scale = 0.5, Licence = LicenceSource.DebianCopyright, Description = "wallpapers: landscapes, macro, still life",
        },
        new()
        {
            Id = "lomiri-20.04", Package = "lomiri-wallpapers-20.04", Paths = ["usr/share/backgrounds/*.jpg"],
            Scale = 0.5, Licence = LicenceSource.DebianCopyright, Description = "wallpapers (only Kleiber is a photo)",
        },
        new()
        {
            Id = "plasma", Package = "plasma-workspace-wallpapers", Paths = ["usr/share/wallpapers/*/contents/images/2560x1600.jpg"],
            Scale = 0.5, Licence = LicenceSource.PlasmaMetadata, Description = "KDE wallpapers at 2560x1600 (the other sizes are symlinks)",
        },
        new()
        {
            Id = "tuxtype", Package = "tuxtype-data", Paths = ["usr/share/tuxtype/images/kcas*.jpg"],
            Licence = LicenceSource.Fixed, FixedLicence = new PhotoLicence("GPL-2.0", "Tux4Kids"),
            Description = "landscapes (provenance undocumented; Debian states GPL-2 for the package)",
        },
        new()
        {
            Id = "palapeli", Package = "palapeli-data", Paths = ["usr/share/palapeli/collection/*.jpg"],
            Licence = LicenceSource.PalapeliDesktop, Description = "puzzle photos",
        },
        new()
        {
            Id = "enlightenment", Package = "enlightenment-data", Container = PhotoContainer.Eet, Optional = true,
            Paths = ["usr/share/enlightenment/data/backgrounds/*.edj"], Entries = "edje/images/*", LargestEntryOnly = true,
            Scale = 0.5, Licence = LicenceSource.Fixed, FixedLicence = new PhotoLicence("BSD-2-Clause", "Carsten Haitzler and various contributors"),
            Description = "4K wallpapers inside Edje archives (optional: a 401 MB package)",
        },
        new()
        {
            Id = "skimage", Package = "python3-skimage", Split = PhotoSplit.Heldout,
            Paths = ["usr/lib/python3/dist-packages/skimage/data/coffee.png", "usr/lib/python3/dist-packages/skimage/data/chelsea.png"],
            Licence = LicenceSource.Fixed, FixedLicence = PhotoLicence.Unknown,
            Description = "scikit-image test photos (CC0)",
        },
        new()
        {
            Id = "wesaturate", Package = "libjxl-testdata", Split = PhotoSplit.Heldout,
            Paths = ["usr/share/libjxl-testdata/external/wesaturate/500px/*_srgb8.png"],
            Licence = LicenceSource.Fixed, FixedLicence = new PhotoLicence("CC0-1.0", "wesaturate.com photographers", "https://www.wesaturate.com/"),
            Description = "JPEG XL test photos, 500x500 lossless (CC0)",
        },
    ];
}
