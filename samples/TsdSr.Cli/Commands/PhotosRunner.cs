using TsdSr.Data.PhotoPool;
using TsdSr.Data.PhotoPool.Building;
using TsdSr.Data.PhotoPool.Manifest;

namespace TsdSr.Cli.Commands;

/// <summary>
/// Runs <c>tsdsr photos</c>: builds the pool, prints the summary, the exclusions and any failures, then verifies
/// against or updates the committed manifest. Exit codes: 0 all built (and verified); 1 some photos or sources failed,
/// or the built photos differ from the manifest; 2 usage or setup error (missing folder, unreadable manifest,
/// inconsistent catalogue); 130 cancelled.
/// </summary>
internal static class PhotosRunner
{
    /// <summary>Runs the command; <paramref name="catalogue"/> replaces the default catalogue (tests).</summary>
    public static int Run(PhotosRequest request, TextWriter output, TextWriter error, CancellationToken cancellationToken, PhotoCatalogue? catalogue = null)
    {
        if (request.Verify && request.Manifest is null)
        {
            error.WriteLine("photos: --verify needs --manifest FILE.");
            return 2;
        }

        PhotoManifest? committed = null;
        try
        {
            if (request.Manifest is not null && (request.Verify || File.Exists(request.Manifest)))
            {
                committed = PhotoManifest.Read(request.Manifest);
            }
        }
        catch (Exception e) when (e is PhotoManifestException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"photos: {e.Message}");
            return 2;
        }

        PhotoPoolResult result;
        try
        {
            var options = new PhotoPoolOptions
            {
                ExtractedRoot = request.Extracted,
                OutputRoot = request.Output,
                IncludeOptional = request.Optional,
                Catalogue = catalogue ?? PhotoCatalogue.Default,
                EvaluationFolders = request.Evaluation,
                ContactSheetFolder = request.ContactSheets,
            };
            result = PhotoPoolBuilder.Build(options, new Progress(error), cancellationToken);
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("photos: cancelled.");
            return 130;
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or Imaging.ImageFormatException)
        {
            error.WriteLine($"photos: {e.Message}");
            return 2;
        }

        output.WriteLine(PhotoPoolSummary.Format(result));
        WriteExclusions(output, result);
        foreach (var failure in result.Failures)
        {
            error.WriteLine($"failed: {failure}");
        }

        int code = result.Failures.Count == 0 ? 0 : 1;
        if (committed is not null && request.Verify)
        {
            var differences = ManifestComparison.Compare(committed, result.Manifest, result.BuiltSources);
            foreach (var difference in differences)
            {
                error.WriteLine($"mismatch: {difference}");
            }

            output.WriteLine(differences.Count == 0
                ? $"verified: all {result.Manifest.Rows.Count} photos match {request.Manifest} (SHA-256 and every column)."
                : $"verify: {differences.Count} differences from {request.Manifest} (a changed package version or decoder shows up here).");
            code = differences.Count == 0 ? code : 1;
        }
        else if (request.Manifest is not null)
        {
            Merge(committed, result).Write(request.Manifest);
            output.WriteLine($"updated {request.Manifest}.");
        }

        return code;
    }

    /// <summary>The built rows, plus the committed rows of sources this build skipped (so an optional source is not dropped).</summary>
    private static PhotoManifest Merge(PhotoManifest? committed, PhotoPoolResult result)
    {
        var built = result.BuiltSources;
        var kept = committed?.Rows.Where(r => !built.Contains(r.Source)) ?? [];
        return new PhotoManifest(result.Manifest.Rows.Concat(kept));
    }

    private static void WriteExclusions(TextWriter output, PhotoPoolResult result)
    {
        if (result.Excluded.Count == 0)
        {
            return;
        }

        output.WriteLine($"excluded ({result.Excluded.Count}):");
        foreach (var excluded in result.Excluded)
        {
            output.WriteLine($"  {excluded.Key}: {excluded.Reason}");
        }
    }

    /// <summary>One line per photo that was written, excluded or failed (kept photos are silent), on stderr.</summary>
    private sealed class Progress(TextWriter error) : IProgress<PhotoPoolProgress>
    {
        public void Report(PhotoPoolProgress value)
        {
            if (value.Outcome != "kept")
            {
                error.WriteLine($"{value.Outcome,-8} {value.Source}: {value.Key}");
            }
        }
    }
}
