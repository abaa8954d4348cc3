namespace TsdSr.Data.PhotoPool;

/// <summary>Where a photo comes from: a Debian package, a file inside it, and for archives the entry inside that file.</summary>
/// <param name="Package">Debian binary package name.</param>
/// <param name="Path">Path of the file inside the package, without a leading <c>/</c> (<c>usr/share/…</c>).</param>
/// <param name="Entry">Path of the entry inside a <c>.rcc</c> / <c>.edj</c> archive; null for plain files.</param>
public readonly record struct PhotoKey(string Package, string Path, string? Entry = null)
{
    /// <summary><c>package:path</c>, or <c>package:path!entry</c> for archive entries.</summary>
    public override string ToString() => Entry is null ? $"{Package}:{Path}" : $"{Package}:{Path}!{Entry}";
}
