namespace TsdSr.Data.PhotoPool;

/// <summary>
/// What goes into the photo pool: the sources, the photos excluded by hand (each with its reason), the photos held
/// out of training, and licences recorded by hand. <see cref="Default"/> is the catalogue the committed manifest
/// (<c>data/photo-pool/manifest.csv</c>) was built from.
/// </summary>
public sealed record PhotoCatalogue
{
    /// <summary>The sources, in build order.</summary>
    public required IReadOnlyList<PhotoSource> Sources { get; init; }

    /// <summary>Photos the sources match that must not be used.</summary>
    public IReadOnlyList<PhotoExclusion> Exclusions { get; init; } = [];

    /// <summary>Photos of train sources that go to the held-out split instead.</summary>
    public IReadOnlyList<PhotoKey> HeldOut { get; init; } = [];

    /// <summary>Licences stated outside the sources' machine-readable metadata.</summary>
    public IReadOnlyList<KnownLicence> KnownLicences { get; init; } = [];

    /// <summary>The Debian photo pool: see <c>docs/photo-pool.md</c>.</summary>
    public static PhotoCatalogue Default { get; } = new()
    {
        Sources = DebianPhotoSources.All,
        Exclusions = DebianPhotoExclusions.All,
        HeldOut = DebianHeldOutPhotos.All,
        KnownLicences = DebianKnownLicences.All,
    };

    /// <summary>The first exclusion that covers the photo, or null.</summary>
    public PhotoExclusion? ExclusionFor(PhotoKey key) => Exclusions.FirstOrDefault(e => e.Matches(key));

    /// <summary>The photo's split: held out when listed in <see cref="HeldOut"/>, else the source's.</summary>
    public PhotoSplit SplitFor(PhotoSource source, PhotoKey key)
    {
        ArgumentNullException.ThrowIfNull(source);
        return HeldOut.Contains(key) ? PhotoSplit.Heldout : source.Split;
    }

    /// <summary>The licence recorded by hand for the photo, or null.</summary>
    public KnownLicence? KnownLicenceFor(PhotoKey key) => KnownLicences.FirstOrDefault(k => k.Key == key);

    /// <summary>Checks the catalogue is consistent; returns the problems found (empty when fine).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        foreach (var group in Sources.GroupBy(s => s.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"source id '{group.Key}' is used {group.Count()} times.");
        }

        foreach (var source in Sources)
        {
            if (source.Id.Length == 0 || source.Id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
            {
                problems.Add($"source id '{source.Id}' must be non-empty ASCII letters, digits, '-', '_' or '.'.");
            }

            if (source.Scale is not (1.0 or 0.5))
            {
                problems.Add($"source '{source.Id}': scale {source.Scale} is neither 1 nor 0.5.");
            }

            if ((source.Container == PhotoContainer.File) == (source.Entries is not null))
            {
                problems.Add($"source '{source.Id}': archives need an entry pattern, plain files must not have one.");
            }

            if (source.Licence == LicenceSource.Fixed && source.FixedLicence is null)
            {
                problems.Add($"source '{source.Id}': a fixed licence rule needs FixedLicence.");
            }

            foreach (var pattern in source.Paths.Append(source.Entries).OfType<string>())
            {
                try
                {
                    _ = new PathPattern(pattern);
                }
                catch (ArgumentException e)
                {
                    problems.Add($"source '{source.Id}': {e.Message}");
                }
            }
        }

        var packages = Sources.Select(s => s.Package).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(Exclusions.Where(e => !packages.Contains(e.Package)).Select(e => $"exclusion of {e.Package}:{e.Path} names a package no source uses."));
        problems.AddRange(Exclusions.Where(e => string.IsNullOrWhiteSpace(e.Reason)).Select(e => $"exclusion of {e.Package}:{e.Path} has no reason."));
        problems.AddRange(HeldOut.Where(k => !packages.Contains(k.Package)).Select(k => $"held-out photo {k} names a package no source uses."));
        problems.AddRange(HeldOut.Where(k => ExclusionFor(k) is not null).Select(k => $"held-out photo {k} is also excluded."));
        return problems;
    }
}
