using System.Text;
using System.Text.Json;

namespace TsdSr.Core.Configuration;

/// <summary>
/// Writes a component config the way diffusers does (<c>_class_name</c> and <c>_diffusers_version</c> first, then
/// snake_case keys, indented), plus the null-or-value and array forms those configs use. Doubles keep their shortest
/// round-trip form.
/// </summary>
public static class DiffusersConfigWriter
{
    /// <summary>The diffusers version written into configs (the one the fixtures and the reference used).</summary>
    public const string DiffusersVersion = "0.31.0";

    /// <summary>The config text: one object with the class name, the version and what <paramref name="writeKeys"/> writes; ends with a newline.</summary>
    /// <param name="className">diffusers' class name, e.g. <c>AutoencoderKL</c>.</param>
    /// <param name="writeKeys">Writes the config's keys.</param>
    public static string Write(string className, Action<Utf8JsonWriter> writeKeys)
    {
        ArgumentException.ThrowIfNullOrEmpty(className);
        ArgumentNullException.ThrowIfNull(writeKeys);
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("_class_name", className);
            w.WriteString("_diffusers_version", DiffusersVersion);
            writeKeys(w);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>An array of integers.</summary>
    public static void WriteArray(this Utf8JsonWriter writer, string name, IEnumerable<int> values)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(values);
        writer.WriteStartArray(name);
        foreach (var v in values)
        {
            writer.WriteNumberValue(v);
        }

        writer.WriteEndArray();
    }

    /// <summary>An array of strings.</summary>
    public static void WriteArray(this Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(values);
        writer.WriteStartArray(name);
        foreach (var v in values)
        {
            writer.WriteStringValue(v);
        }

        writer.WriteEndArray();
    }

    /// <summary>An array of doubles, or <c>null</c> when <paramref name="values"/> is null.</summary>
    public static void WriteArrayOrNull(this Utf8JsonWriter writer, string name, IEnumerable<double>? values)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (values is null)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartArray(name);
        foreach (var v in values)
        {
            writer.WriteNumberValue(v);
        }

        writer.WriteEndArray();
    }

    /// <summary>A number, or <c>null</c>.</summary>
    public static void WriteNumberOrNull(this Utf8JsonWriter writer, string name, double? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>A string, or <c>null</c>.</summary>
    public static void WriteStringOrNull(this Utf8JsonWriter writer, string name, string? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
