using System.Globalization;
using System.Text;
using TsdSr.Data.PhotoPool.Manifest;

namespace TsdSr.Data.PhotoPool.Building;

/// <summary>Plain-text tables of a pool: photos and megapixels per source, per package and per split.</summary>
public static class PhotoPoolSummary
{
    /// <summary>The summary of a build: its sources (with status and version), the totals, and the exclusions.</summary>
    public static string Format(PhotoPoolResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder();
        var rows = result.Manifest.Rows;
        var excluded = result.Excluded.GroupBy(e => e.Source).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        text.AppendLine(CultureInfo.InvariantCulture, $"{"source",-24} {"package",-28} {"version",-26} {"scale",5} {"train",6} {"MP",8} {"heldout",8} {"MP",7} {"excl",5}");
        foreach (var outcome in result.Sources)
        {
            var id = outcome.Source.Id;
            var own = rows.Where(r => r.Source == id).ToList();
            if (outcome.Status != SourceStatus.Built && own.Count == 0)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"{id,-24} {outcome.Source.Package,-28} {(outcome.Status == SourceStatus.Skipped ? "(optional: skipped)" : "(FAILED)")}");
                continue;
            }

            text.AppendLine(CultureInfo.InvariantCulture, $"{id,-24} {outcome.Source.Package,-28} {outcome.Version,-26} {outcome.Source.Scale,5:0.0#} {Cells(own)} {excluded.GetValueOrDefault(id),5}");
        }

        text.AppendLine();
        text.AppendLine("per package:");
        foreach (var package in rows.GroupBy(r => r.Key.Package).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {package.Key,-78} {"",5} {Cells(package.ToList())}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  {"total",-78} {"",5} {Cells(rows)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"{rows.Count} photos, {rows.Sum(r => r.Megapixels):0.0} MP; {result.Excluded.Count} excluded; {result.Written} written, {result.Kept} kept from the last build; {result.Removed.Count} stale files removed; {result.Failures.Count} failures.");
        return text.ToString();
    }

    private static string Cells(IReadOnlyCollection<PhotoManifestRow> rows)
    {
        var train = rows.Where(r => r.Split == PhotoSplit.Train).ToList();
        var heldout = rows.Where(r => r.Split == PhotoSplit.Heldout).ToList();
        return string.Create(CultureInfo.InvariantCulture, $"{train.Count,6} {train.Sum(r => r.Megapixels),8:0.0} {heldout.Count,8} {heldout.Sum(r => r.Megapixels),7:0.0}");
    }
}
