using System.Text;

namespace TsdSr.Data.PhotoPool.Manifest;

/// <summary>RFC 4180 CSV: fields with a comma, quote or line break are quoted, quotes are doubled.</summary>
internal static class Csv
{
    public static string Line(IEnumerable<string> fields) => string.Join(',', fields.Select(Quote));

    public static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (field.Length > 0 && (field[0] == ' ' || field[^1] == ' '))
            ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : field;

    /// <summary>Reads records (a quoted field may span lines); yields each with the line it starts on.</summary>
    public static IEnumerable<(int Line, List<string> Fields)> Read(TextReader reader, string name)
    {
        int lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            int start = lineNumber;
            if (line.Length == 0)
            {
                continue;
            }

            var fields = new List<string>();
            var field = new StringBuilder();
            bool quoted = false;
            int i = 0;
            while (true)
            {
                if (i == line.Length)
                {
                    if (!quoted)
                    {
                        break;
                    }

                    // A line break inside quotes belongs to the field.
                    line = reader.ReadLine() ?? throw new PhotoManifestException(name, start, "a quoted field is not closed.");
                    lineNumber++;
                    field.Append('\n');
                    i = 0;
                    continue;
                }

                char c = line[i++];
                if (quoted)
                {
                    if (c != '"')
                    {
                        field.Append(c);
                    }
                    else if (i < line.Length && line[i] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else if (c == ',')
                {
                    fields.Add(field.ToString());
                    field.Clear();
                }
                else if (c == '"' && field.Length == 0)
                {
                    quoted = true;
                }
                else
                {
                    field.Append(c);
                }
            }

            fields.Add(field.ToString());
            yield return (start, fields);
        }
    }
}
