using System.Text;
using TsdSr.Data.PhotoPool.Archives;
using TsdSr.Data.PhotoPool.Licences;
using TsdSr.Imaging;

namespace TsdSr.Data.PhotoPool.Building;

/// <summary>Lists the photos a source matches in an extracted package, with their bytes and stated licences.</summary>
internal static class CandidateFinder
{
    /// <summary>
    /// The source's photos in path (then entry) order. Archive errors propagate as <see cref="ArchiveFormatException"/>;
    /// the builder reports them per source.
    /// </summary>
    public static IEnumerable<PhotoCandidate> Find(PhotoSource source, ExtractedPackage package, ArchiveLimits limits)
    {
        var entryPattern = source.Entries is null ? null : new PathPattern(source.Entries);
        foreach (var pattern in source.Paths.Select(p => new PathPattern(p)))
        {
            foreach (var path in package.Match(pattern))
            {
                var pathNames = pattern.WildcardSegments(path)!;
                switch (source.Container)
                {
                    case PhotoContainer.File:
                        yield return new PhotoCandidate(source, new PhotoKey(package.Package, path), Name(pathNames, [], path),
                            File.ReadAllBytes(package.FullPath(path)), StatedLicence(source, package, path));
                        break;
                    case PhotoContainer.Rcc:
                        var rcc = RccArchive.Open(package.FullPath(path), limits);
                        foreach (var entry in rcc.Entries.Where(e => entryPattern!.IsMatch(e.Path)))
                        {
                            yield return new PhotoCandidate(source, new PhotoKey(package.Package, path, entry.Path),
                                Name(pathNames, entryPattern!.WildcardSegments(entry.Path)!, entry.Path), rcc.Read(entry), ReadmeLicence(rcc, entry.Path));
                        }

                        break;
                    case PhotoContainer.Eet:
                        var eet = EetArchive.Open(package.FullPath(path), limits);
                        var entries = eet.Entries.Where(e => entryPattern!.IsMatch(e.Name) && !e.IsAlias).ToList();
                        if (source.LargestEntryOnly)
                        {
                            entries = Largest(eet, entries);
                        }

                        foreach (var entry in entries)
                        {
                            var entryNames = source.LargestEntryOnly ? [] : entryPattern!.WildcardSegments(entry.Name)!;
                            yield return new PhotoCandidate(source, new PhotoKey(package.Package, path, entry.Name),
                                Name(pathNames, entryNames, source.LargestEntryOnly ? path : entry.Name), eet.Read(entry), StatedLicence(source, package, path));
                        }

                        break;
                }
            }
        }
    }

    /// <summary>
    /// The output stem: the segments the wildcards matched, joined with '_'; with no wildcards, the file name. Any
    /// character other than ASCII letters, digits, '-', '_' and '.' becomes '_'.
    /// </summary>
    internal static string Name(IReadOnlyList<string> pathNames, IReadOnlyList<string> entryNames, string fallbackPath)
    {
        var parts = pathNames.Concat(entryNames).ToList();
        string name = parts.Count > 0 ? string.Join('_', parts) : Path.GetFileNameWithoutExtension(fallbackPath.Split('/')[^1]);
        var safe = new StringBuilder(name.Length);
        foreach (char c in name)
        {
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        return safe.ToString().TrimStart('.');
    }

    /// <summary>The one entry with the most pixels (by header), ties broken by name.</summary>
    private static List<EetEntry> Largest(EetArchive eet, List<EetEntry> entries)
    {
        EetEntry? best = null;
        long bestPixels = -1;
        foreach (var entry in entries)
        {
            long pixels;
            try
            {
                using var stream = new MemoryStream(eet.Read(entry), writable: false);
                var (w, h) = ImageCodec.Identify(stream, entry.Name);
                pixels = (long)w * h;
            }
            catch (ImageFormatException)
            {
                continue;
            }

            if (pixels > bestPixels)
            {
                best = entry;
                bestPixels = pixels;
            }
        }

        return best is null ? [] : [best];
    }

    private static PhotoLicence? ReadmeLicence(RccArchive rcc, string entryPath)
    {
        // The nearest README up the tree that lists the file (relative to the README's folder).
        var parts = entryPath.Split('/');
        for (int depth = parts.Length - 1; depth >= 1; depth--)
        {
            var folder = string.Join('/', parts[..depth]);
            if (rcc.Find(folder + "/README") is { } readme)
            {
                var relative = string.Join('/', parts[depth..]);
                if (GComprisReadme.Parse(Encoding.UTF8.GetString(rcc.Read(readme))).TryGetValue(relative, out var licence))
                {
                    return licence;
                }
            }
        }

        return null;
    }

    private static PhotoLicence? StatedLicence(PhotoSource source, ExtractedPackage package, string path)
    {
        switch (source.Licence)
        {
            case LicenceSource.PalapeliDesktop:
                var desktop = package.FullPath(Path.ChangeExtension(path, ".desktop"));
                return File.Exists(desktop) ? PalapeliDesktop.Parse(File.ReadAllText(desktop)) : null;
            case LicenceSource.DebianCopyright:
                var copyright = package.FullPath($"usr/share/doc/{package.Package}/copyright");
                return File.Exists(copyright) ? DebianCopyright.Find(File.ReadAllText(copyright), path.Split('/')[^1]) : null;
            case LicenceSource.PlasmaMetadata:
                // The wallpaper's folder holds metadata.json; walk up from the image to find it.
                var parts = path.Split('/');
                for (int depth = parts.Length - 1; depth >= 1; depth--)
                {
                    var metadata = package.FullPath(string.Join('/', parts[..depth]) + "/metadata.json");
                    if (File.Exists(metadata))
                    {
                        return PlasmaMetadata.Parse(File.ReadAllText(metadata));
                    }
                }

                return null;
            default:
                return null;
        }
    }
}
