namespace TsdSr.Data.PhotoPool;

/// <summary>How a source's files hold their photos.</summary>
public enum PhotoContainer
{
    /// <summary>Each matching file is an image (JPEG, PNG, WebP).</summary>
    File,

    /// <summary>Each matching file is a Qt resource archive; its matching entries are images.</summary>
    Rcc,

    /// <summary>Each matching file is an Eet (Edje) archive; its matching entries are images.</summary>
    Eet,
}
