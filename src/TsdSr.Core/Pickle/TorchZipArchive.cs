using System.IO.Compression;
using TorchSharp;
using TsdSr.Core.SafeTensors;

namespace TsdSr.Core.Pickle;

/// <summary>
/// The zip container of <c>torch.save</c> (PyTorch ≥ 1.6): <c>&lt;archive&gt;/data.pkl</c>, one
/// <c>&lt;archive&gt;/data/&lt;key&gt;</c> entry per storage, and optionally <c>&lt;archive&gt;/byteorder</c>.
/// Entry sizes are checked before any buffer is allocated from them.
/// </summary>
internal sealed class TorchZipArchive : IDisposable
{
    /// <summary>A state-dict pickle is a few MB at most, even for billion-parameter models.</summary>
    private const long MaxPickleBytes = 256L << 20;

    /// <summary>Deflate cannot expand more than ~1032:1, so a larger claimed ratio is a lie (zip bomb).</summary>
    private const long MaxDeflateRatio = 1100;

    private readonly FileStream stream;
    private readonly ZipArchive zip;
    private readonly string prefix;

    private TorchZipArchive(string path, FileStream stream, ZipArchive zip, string prefix)
    {
        Path = path;
        this.stream = stream;
        this.zip = zip;
        this.prefix = prefix;
    }

    public string Path { get; }

    public static TorchZipArchive Open(string fullPath)
    {
        var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess);
        try
        {
            CheckMagic(fullPath, stream);
            ZipArchive zip;
            try
            {
                zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            }
            catch (InvalidDataException e)
            {
                throw new TorchPickleException(fullPath, $"the zip container is damaged ({e.Message}).", e);
            }

            var pickles = zip.Entries.Where(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal)
                && e.FullName.IndexOf('/') == e.FullName.Length - "/data.pkl".Length).ToList();
            if (pickles.Count != 1)
            {
                zip.Dispose();
                throw new TorchPickleException(fullPath, pickles.Count == 0
                    ? "the zip has no '<archive>/data.pkl' entry, so it is not a torch.save file."
                    : $"the zip has {pickles.Count} '<archive>/data.pkl' entries; expected one.");
            }

            var prefix = pickles[0].FullName[..^"data.pkl".Length];
            return new TorchZipArchive(fullPath, stream, zip, prefix);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The pickle bytes of <c>data.pkl</c>.</summary>
    public byte[] ReadPickle()
    {
        var entry = zip.GetEntry(prefix + "data.pkl")!;
        CheckDeclaredLength(entry, MaxPickleBytes);
        var bytes = new byte[entry.Length];
        using var s = entry.Open();
        if (s.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) < bytes.Length)
        {
            throw new TorchPickleException(Path, $"entry '{entry.FullName}' is shorter than its declared {entry.Length} bytes.");
        }

        return bytes;
    }

    /// <summary>Refuses big-endian storages, which TsdSr does not byte-swap.</summary>
    public void CheckByteOrder()
    {
        var entry = zip.GetEntry(prefix + "byteorder");
        if (entry is null)
        {
            return; // written only since PyTorch 1.12-2.x; older files are little-endian
        }

        CheckDeclaredLength(entry, 16);
        using var reader = new StreamReader(entry.Open());
        var order = reader.ReadToEnd().Trim();
        if (order != "little")
        {
            throw new TorchPickleException(Path, $"the storages are '{order}'-endian; only little-endian checkpoints are supported.");
        }
    }

    /// <summary>Checks that the storage entry exists and holds exactly the storage's bytes.</summary>
    public void ValidateStorage(TorchStorageRef storage)
    {
        var entry = StorageEntry(storage);
        long expected = checked(storage.ElementCount * storage.Type.ElementSize);
        if (entry.Length != expected)
        {
            throw new TorchPickleException(Path, $"storage '{storage.Key}' ({storage.ElementCount} × {storage.Type.ClassName}) needs {expected} bytes, but entry '{entry.FullName}' has {entry.Length}.");
        }

        CheckDeclaredLength(entry, long.MaxValue);
    }

    /// <summary>Reads a whole storage into a new 1-D CPU tensor. The caller owns it.</summary>
    public torch.Tensor ReadStorage(TorchStorageRef storage)
    {
        var entry = StorageEntry(storage);
        var t = torch.empty(storage.ElementCount, storage.Type.ScalarType, torch.CPU);
        try
        {
            lock (stream)
            {
                using var s = entry.Open();
                TensorBytes.ForEachChunk(t, chunk =>
                {
                    if (s.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false) < chunk.Length)
                    {
                        throw new TorchPickleException(Path, $"entry '{entry.FullName}' ends early (file truncated?).");
                    }
                });
            }

            return t;
        }
        catch (InvalidDataException e)
        {
            t.Dispose();
            throw new TorchPickleException(Path, $"entry '{entry.FullName}' is damaged ({e.Message}).", e);
        }
        catch
        {
            t.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        zip.Dispose();
        stream.Dispose();
    }

    private ZipArchiveEntry StorageEntry(TorchStorageRef storage) =>
        zip.GetEntry(prefix + "data/" + storage.Key)
        ?? throw new TorchPickleException(Path, $"storage '{storage.Key}' has no entry '{prefix}data/{storage.Key}' in the zip.");

    private void CheckDeclaredLength(ZipArchiveEntry entry, long max)
    {
        if (entry.Length > max)
        {
            throw new TorchPickleException(Path, $"entry '{entry.FullName}' declares {entry.Length} bytes, more than the {max} accepted.");
        }

        if (entry.Length > checked(entry.CompressedLength * MaxDeflateRatio) + 4096)
        {
            throw new TorchPickleException(Path, $"entry '{entry.FullName}' claims to expand {entry.CompressedLength} bytes to {entry.Length} (zip bomb?).");
        }
    }

    private static void CheckMagic(string path, FileStream stream)
    {
        Span<byte> magic = stackalloc byte[4];
        int n = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        stream.Position = 0;
        if (n == 4 && magic.SequenceEqual("PK\u0003\u0004"u8))
        {
            return;
        }

        throw new TorchPickleException(path, n > 0 && magic[0] == 0x80
            ? "it is in the legacy torch.save format (PyTorch < 1.6 or _use_new_zipfile_serialization=False), which is not supported; re-save it with a newer PyTorch."
            : "it is not a zip file, so not a torch.save checkpoint of PyTorch ≥ 1.6.");
    }
}
