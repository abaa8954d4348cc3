namespace TsdSr.Data.PhotoPool;

/// <summary>Where the licence of a source's photos is read from.</summary>
public enum LicenceSource
{
    /// <summary>The source's <see cref="PhotoSource.FixedLicence"/> (a blanket licence for the whole package).</summary>
    Fixed,

    /// <summary>GCompris: the nearest <c>README</c> inside the same <c>.rcc</c>, whose blocks list Copyright, Source, License and Files.</summary>
    GComprisReadme,

    /// <summary>Palapeli: the <c>.desktop</c> file next to the photo (<c>X-KDE-PluginInfo-License</c>, <c>-Author</c>, <c>-Website</c>).</summary>
    PalapeliDesktop,

    /// <summary>The machine-readable <c>usr/share/doc/PACKAGE/copyright</c>, matched by file name.</summary>
    DebianCopyright,

    /// <summary>KDE Plasma: the wallpaper's <c>metadata.json</c> (<c>KPlugin.License</c>, <c>KPlugin.Authors</c>).</summary>
    PlasmaMetadata,
}
