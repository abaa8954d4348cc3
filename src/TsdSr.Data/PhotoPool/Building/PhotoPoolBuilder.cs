using TsdSr.Data.PhotoPool.Archives;
using TsdSr.Data.PhotoPool.Manifest;
using TsdSr.Imaging;

namespace TsdSr.Data.PhotoPool.Building;

/// <summary>
/// Builds the photo pool from extracted Debian packages: for every catalogue source, finds the matching photos,
/// drops the excluded ones, decodes and downscales the rest, writes them as PNG under <c>train/SOURCE/</c> or
/// <c>heldout/SOURCE/</c>, and writes <c>manifest.csv</c> listing each with its package version, licence and SHA-256.
/// </summary>
/// <remarks>
/// Re-running is cheap: a photo whose package version, original bytes and earlier PNG (by SHA-256) are unchanged
/// since the last build is kept rather than re-encoded. PNGs the new manifest does not list are removed from
/// <c>train/</c> and <c>heldout/</c>, so the folders always hold exactly the manifest. Nothing outside the pool
/// folder is written except the optional contact sheets.
/// </remarks>
public static class PhotoPoolBuilder
{
    /// <summary>The manifest's file name inside the pool folder.</summary>
    public const string ManifestFileName = "manifest.csv";

    private static readonly string[] SplitFolders = ["train", "heldout"];

    /// <summary>Builds the pool; runs synchronously (call it from a worker thread), stops between photos when cancelled.</summary>
    /// <exception cref="ArgumentException">The catalogue is inconsistent.</exception>
    /// <exception cref="DirectoryNotFoundException">The extracted folder or an evaluation folder does not exist.</exception>
    public static PhotoPoolResult Build(PhotoPoolOptions options, IProgress<PhotoPoolProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Catalogue.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("The photo catalogue is inconsistent: " + string.Join(" ", problems), nameof(options));
        }

        if (!Directory.Exists(options.ExtractedRoot))
        {
            throw new DirectoryNotFoundException($"Extracted-packages folder not found: '{Path.GetFullPath(options.ExtractedRoot)}'.");
        }

        var guard = options.EvaluationFolders.Count == 0 ? EvaluationGuard.None : EvaluationGuard.FromFolders(options.EvaluationFolders);
        var output = Path.GetFullPath(options.OutputRoot);
        var run = new Run(options, guard, output, PreviousRows(output), progress, cancellationToken);
        foreach (var source in options.Catalogue.Sources)
        {
            run.BuildSource(source);
        }

        var manifest = new PhotoManifest(run.Rows);
        var removed = RemoveStale(output, manifest);
        manifest.Write(Path.Combine(output, ManifestFileName));
        return new PhotoPoolResult
        {
            Manifest = manifest,
            Sources = run.Outcomes,
            Excluded = run.Excluded,
            Failures = run.Failures,
            Written = run.Written,
            Kept = run.Kept,
            Removed = removed,
        };
    }

    private static Dictionary<PhotoKey, PhotoManifestRow> PreviousRows(string output)
    {
        var path = Path.Combine(output, ManifestFileName);
        try
        {
            return File.Exists(path) ? PhotoManifest.Read(path).Rows.ToDictionary(r => r.Key) : [];
        }
        catch (PhotoManifestException)
        {
            // An unreadable earlier manifest only means nothing can be kept; every photo is written again.
            return [];
        }
    }

    private static List<string> RemoveStale(string output, PhotoManifest manifest)
    {
        var listed = manifest.Rows.Select(r => Path.GetFullPath(Path.Combine(output, r.File))).ToHashSet(StringComparer.Ordinal);
        var removed = new List<string>();
        foreach (var folder in SplitFolders.Select(f => Path.Combine(output, f)).Where(Directory.Exists))
        {
            var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".png", StringComparison.Ordinal) || Path.GetFileName(f).Contains(".png.tmp-", StringComparison.Ordinal))
                .Where(f => !listed.Contains(f))
                .Order(StringComparer.Ordinal)
                .ToList();
            foreach (var file in files)
            {
                File.Delete(file);
                removed.Add(Path.GetRelativePath(output, file).Replace(Path.DirectorySeparatorChar, '/'));
            }
        }

        return removed;
    }

    /// <summary>The state of one build, so the per-source and per-photo steps stay small.</summary>
    private sealed class Run(PhotoPoolOptions options, EvaluationGuard guard, string output, Dictionary<PhotoKey, PhotoManifestRow> previous, IProgress<PhotoPoolProgress>? progress, CancellationToken cancellationToken)
    {
        public List<PhotoManifestRow> Rows { get; } = [];

        public List<SourceOutcome> Outcomes { get; } = [];

        public List<ExcludedPhoto> Excluded { get; } = [];

        public List<PhotoFailure> Failures { get; } = [];

        public int Written { get; private set; }

        public int Kept { get; private set; }

        public void BuildSource(PhotoSource source)
        {
            var package = source.Optional && !options.IncludeOptional ? null : ExtractedPackage.Find(options.ExtractedRoot, source.Package);
            if (package is null)
            {
                Outcomes.Add(new SourceOutcome(source, source.Optional ? SourceStatus.Skipped : SourceStatus.Failed, null));
                if (!source.Optional)
                {
                    Failures.Add(new PhotoFailure(source.Id, null, $"package '{source.Package}' is not extracted under '{options.ExtractedRoot}' (no folder or no .version file)."));
                }

                return;
            }

            var sheet = options.ContactSheetFolder is null ? null : new PoolContactSheet();
            var names = new HashSet<string>(StringComparer.Ordinal);
            var status = SourceStatus.Built;
            try
            {
                foreach (var candidate in CandidateFinder.Find(source, package, options.ArchiveLimits))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (!names.Add(candidate.Name))
                    {
                        Fail(candidate, $"another photo of this source is also named '{candidate.Name}'.");
                        continue;
                    }

                    BuildPhoto(candidate, package.Version, sheet);
                }
            }
            catch (Exception e) when (e is ArchiveFormatException or IOException or UnauthorizedAccessException)
            {
                Failures.Add(new PhotoFailure(source.Id, null, e.Message));
                status = SourceStatus.Failed;
            }

            sheet?.Write(options.ContactSheetFolder!, source.Id);
            Outcomes.Add(new SourceOutcome(source, status, package.Version));
        }

        private void BuildPhoto(PhotoCandidate candidate, string version, PoolContactSheet? sheet)
        {
            var source = candidate.Source;
            var catalogue = options.Catalogue;
            if (catalogue.ExclusionFor(candidate.Key) is { } exclusion)
            {
                Excluded.Add(new ExcludedPhoto(source.Id, candidate.Key, exclusion.Reason));
                Thumbnail(sheet, candidate, "excluded", exclusion.Reason);
                Report(candidate, "excluded");
                return;
            }

            var split = catalogue.SplitFor(source, candidate.Key);
            var licence = catalogue.KnownLicenceFor(candidate.Key)?.Licence ?? candidate.StatedLicence ?? source.FixedLicence ?? PhotoLicence.Unknown;
            var file = $"{(split == PhotoSplit.Train ? "train" : "heldout")}/{source.Id}/{candidate.Name}.png";
            var target = Path.Combine(output, file);
            var sourceSha = PoolImage.Sha256(candidate.Bytes);
            try
            {
                if (guard.MatchFile(sourceSha) is { } same)
                {
                    Fail(candidate, $"its bytes equal the evaluation image '{same}'.");
                    return;
                }

                var row = sheet is null ? KeptRow(candidate, version, file, target, sourceSha) : null;
                if (row is null)
                {
                    row = Write(candidate, version, split, file, target, sourceSha, licence, sheet);
                    if (row is null)
                    {
                        return;
                    }

                    Written++;
                    Report(candidate, "written");
                }
                else
                {
                    Kept++;
                    Report(candidate, "kept");
                }

                Rows.Add(row with { Split = split, Source = source.Id, Version = version, Licence = licence });
            }
            catch (ImageFormatException e)
            {
                Fail(candidate, e.Message);
            }
        }

        /// <summary>The earlier build's row when its inputs are unchanged and its PNG is intact, else null.</summary>
        private PhotoManifestRow? KeptRow(PhotoCandidate candidate, string version, string file, string target, string sourceSha)
        {
            if (!previous.TryGetValue(candidate.Key, out var row)
                || row.Version != version || row.SourceSha256 != sourceSha || row.File != file
                || row.Scale != candidate.Source.Scale || !File.Exists(target))
            {
                return null;
            }

            var sha = PoolImage.Sha256File(target);
            return sha == row.Sha256 && guard.MatchFile(sha) is null ? row : null;
        }

        private PhotoManifestRow? Write(PhotoCandidate candidate, string version, PhotoSplit split, string file, string target, string sourceSha, PhotoLicence licence, PoolContactSheet? sheet)
        {
            var name = candidate.Key.ToString();
            var native = PoolImage.Decode(candidate.Bytes, name, options.LoadOptions);
            var scaled = PoolImage.Downscale(native, candidate.Source.Scale);
            var same = guard.MatchPixels(native) ?? guard.MatchPixels(scaled);
            var png = PoolImage.EncodePng(scaled);
            var sha = PoolImage.Sha256(png);
            same ??= guard.MatchFile(sha);
            if (same is not null)
            {
                Fail(candidate, $"its pixels equal the evaluation image '{same}'.");
                return null;
            }

            PoolImage.WriteAtomically(target, png);
            sheet?.Add(native, candidate.Name, split == PhotoSplit.Train ? "train" : "heldout", null);
            return new PhotoManifestRow
            {
                Split = split,
                Source = candidate.Source.Id,
                Key = candidate.Key,
                Version = version,
                File = file,
                Width = scaled.Width,
                Height = scaled.Height,
                Scale = candidate.Source.Scale,
                Licence = licence,
                SourceSha256 = sourceSha,
                Sha256 = sha,
            };
        }

        private void Thumbnail(PoolContactSheet? sheet, PhotoCandidate candidate, string status, string? note)
        {
            if (sheet is null)
            {
                return;
            }

            try
            {
                sheet.Add(PoolImage.Decode(candidate.Bytes, candidate.Key.ToString(), options.LoadOptions), candidate.Name, status, note);
            }
            catch (ImageFormatException)
            {
                // An excluded photo that does not decode needs no thumbnail.
            }
        }

        private void Fail(PhotoCandidate candidate, string message)
        {
            Failures.Add(new PhotoFailure(candidate.Source.Id, candidate.Key, message));
            Report(candidate, "failed");
        }

        private void Report(PhotoCandidate candidate, string outcome) => progress?.Report(new PhotoPoolProgress(candidate.Source.Id, candidate.Key, outcome));
    }
}
