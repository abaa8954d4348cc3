using System.Globalization;
using System.Text;

namespace TsdSr.Data.PhotoPool.Manifest;

/// <summary>
/// The list of photos in a pool, as a CSV file (UTF-8, LF line ends, RFC 4180 quoting) with one header line and one
/// row per photo, sorted by split, source, and file. Columns: split, source, package, version, path, entry, file,
/// width, height, scale, licence, author, origin, source_sha256, sha256. Empty fields mean "none".
/// </summary>
public sealed class PhotoManifest
{
    /// <summary>The header line's column names, in order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["split", "source", "package", "version", "path", "entry", "file", "width", "height", "scale", "licence", "author", "origin", "source_sha256", "sha256"];

    /// <summary>Creates a manifest; the rows are sorted.</summary>
    /// <exception cref="ArgumentException">Two rows name the same photo or the same output file.</exception>
    public PhotoManifest(IEnumerable<PhotoManifestRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var sorted = rows.OrderBy(r => r.Split).ThenBy(r => r.Source, StringComparer.Ordinal).ThenBy(r => r.File, StringComparer.Ordinal).ToList();
        var duplicateKey = sorted.GroupBy(r => r.Key).FirstOrDefault(g => g.Count() > 1);
        if (duplicateKey is not null)
        {
            throw new ArgumentException($"Photo {duplicateKey.Key} appears {duplicateKey.Count()} times.", nameof(rows));
        }

        var duplicateFile = sorted.GroupBy(r => r.File, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicateFile is not null)
        {
            throw new ArgumentException($"Output file '{duplicateFile.Key}' is named by {duplicateFile.Count()} photos.", nameof(rows));
        }

        Rows = sorted;
    }

    /// <summary>The rows, sorted by split, source and file.</summary>
    public IReadOnlyList<PhotoManifestRow> Rows { get; }

    /// <summary>Reads a manifest file.</summary>
    /// <exception cref="PhotoManifestException">The file is not a valid manifest.</exception>
    public static PhotoManifest Read(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        return Parse(reader, path);
    }

    /// <summary>Reads a manifest from text.</summary>
    /// <exception cref="PhotoManifestException">The text is not a valid manifest.</exception>
    public static PhotoManifest Parse(TextReader reader, string name)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var rows = new List<PhotoManifestRow>();
        bool header = true;
        foreach (var (line, f) in Csv.Read(reader, name))
        {
            if (header)
            {
                if (!f.SequenceEqual(Columns))
                {
                    throw new PhotoManifestException(name, line, $"the header must be '{string.Join(',', Columns)}'.");
                }

                header = false;
                continue;
            }

            if (f.Count != Columns.Count)
            {
                throw new PhotoManifestException(name, line, $"{f.Count} fields; every row has {Columns.Count}.");
            }

            rows.Add(new PhotoManifestRow
            {
                Split = f[0] switch
                {
                    "train" => PhotoSplit.Train,
                    "heldout" => PhotoSplit.Heldout,
                    _ => throw new PhotoManifestException(name, line, $"split '{f[0]}' is neither 'train' nor 'heldout'."),
                },
                Source = Required(f[1], "source", name, line),
                Key = new PhotoKey(Required(f[2], "package", name, line), Required(f[4], "path", name, line), NullIfEmpty(f[5])),
                Version = Required(f[3], "version", name, line),
                File = Required(f[6], "file", name, line),
                Width = Int(f[7], "width", name, line),
                Height = Int(f[8], "height", name, line),
                Scale = double.TryParse(f[9], NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 && s <= 1
                    ? s
                    : throw new PhotoManifestException(name, line, $"scale '{f[9]}' is not a number in (0, 1]."),
                Licence = new PhotoLicence(Required(f[10], "licence", name, line), NullIfEmpty(f[11]), NullIfEmpty(f[12])),
                SourceSha256 = Sha(f[13], "source_sha256", name, line),
                Sha256 = Sha(f[14], "sha256", name, line),
            });
        }

        if (header)
        {
            throw new PhotoManifestException(name, 1, "the file is empty (no header line).");
        }

        try
        {
            return new PhotoManifest(rows);
        }
        catch (ArgumentException e)
        {
            throw new PhotoManifestException(name, 0, e.Message);
        }
    }

    /// <summary>Writes the manifest to a file, through a temporary file so a reader never sees half of it.</summary>
    public void Write(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            File.WriteAllText(temp, Format(), new UTF8Encoding(false));
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>The manifest as CSV text.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        text.Append(Csv.Line(Columns)).Append('\n');
        foreach (var r in Rows)
        {
            text.Append(Csv.Line(
            [
                r.Split == PhotoSplit.Train ? "train" : "heldout",
                r.Source,
                r.Key.Package,
                r.Version,
                r.Key.Path,
                r.Key.Entry ?? "",
                r.File,
                r.Width.ToString(CultureInfo.InvariantCulture),
                r.Height.ToString(CultureInfo.InvariantCulture),
                r.Scale.ToString("R", CultureInfo.InvariantCulture),
                r.Licence.Licence,
                r.Licence.Author ?? "",
                r.Licence.Origin ?? "",
                r.SourceSha256,
                r.Sha256,
            ])).Append('\n');
        }

        return text.ToString();
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    private static string Required(string value, string column, string name, int line) =>
        value.Length > 0 ? value : throw new PhotoManifestException(name, line, $"'{column}' is empty.");

    private static int Int(string value, string column, string name, int line) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new PhotoManifestException(name, line, $"'{column}' is '{value}', not a positive integer.");

    private static string Sha(string value, string column, string name, int line) =>
        value.Length == 64 && value.All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c))
            ? value
            : throw new PhotoManifestException(name, line, $"'{column}' is not 64 lower-case hex digits.");
}
