using System.Text.Json;

namespace TsdSr.Data.PhotoPool.Licences;

/// <summary>
/// Reads a KDE Plasma wallpaper's <c>metadata.json</c>: <c>KPlugin.License</c> and the names in
/// <c>KPlugin.Authors</c>. The files in the package have trailing commas, which are accepted.
/// </summary>
public static class PlasmaMetadata
{
    /// <summary>The stated licence, or null when the file has none or is not JSON.</summary>
    public static PhotoLicence? Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (!doc.RootElement.TryGetProperty("KPlugin", out var plugin)
                || !plugin.TryGetProperty("License", out var licence)
                || licence.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            string? authors = null;
            if (plugin.TryGetProperty("Authors", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                var names = list.EnumerateArray()
                    .Where(a => a.ValueKind == JsonValueKind.Object && a.TryGetProperty("Name", out var n) && n.ValueKind == JsonValueKind.String)
                    .Select(a => a.GetProperty("Name").GetString()!)
                    .ToList();
                authors = names.Count > 0 ? string.Join(", ", names) : null;
            }

            return new PhotoLicence(LicenceNames.Normalize(licence.GetString()!), authors);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
