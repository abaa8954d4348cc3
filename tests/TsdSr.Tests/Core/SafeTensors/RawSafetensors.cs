using System.Buffers.Binary;
using System.Text;

namespace TsdSr.Tests.Core.SafeTensors;

/// <summary>Writes safetensors files byte by byte, so tests can build broken and hostile ones.</summary>
internal static class RawSafetensors
{
    public static string Write(string dir, string name, string headerJson, int dataBytes = 0, ulong? headerLength = null) =>
        Write(dir, name, Encoding.UTF8.GetBytes(headerJson), dataBytes, headerLength);

    public static string Write(string dir, string name, byte[] header, int dataBytes = 0, ulong? headerLength = null)
    {
        var bytes = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, headerLength ?? (ulong)header.Length);
        header.CopyTo(bytes, 8);
        for (int i = 0; i < dataBytes; i++)
        {
            bytes[8 + header.Length + i] = (byte)i;
        }

        var path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
