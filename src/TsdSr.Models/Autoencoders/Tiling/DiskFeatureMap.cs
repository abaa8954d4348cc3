using Microsoft.Win32.SafeHandles;
using TorchSharp;

namespace TsdSr.Models.Autoencoders.Tiling;

/// <summary>
/// A feature map in a temporary file, stored channels-last ([H,W,C] row-major) so that a window's row is one contiguous
/// read or write. RAM then holds only the window being processed; the operating system's page cache absorbs what it
/// can. The file is unlinked as soon as it is open (Unix) or deleted on close (Windows), so nothing is left behind by
/// a crash or a kill.
/// </summary>
internal sealed class DiskFeatureMap : FeatureMap
{
    private readonly SafeFileHandle file;
    private readonly long elementSize;
    private readonly long pixelBytes;

    private DiskFeatureMap(SafeFileHandle file, long channels, long height, long width, torch.ScalarType dtype)
        : base(channels, height, width, dtype)
    {
        this.file = file;
        elementSize = ElementSize(dtype);
        pixelBytes = channels * elementSize;
    }

    /// <summary>Creates the file in <paramref name="directory"/>, after checking that the disk has room for it.</summary>
    /// <exception cref="IOException">The folder is missing, not writable or too full; the message says which and how much is needed.</exception>
    public static DiskFeatureMap Create(string directory, long channels, long height, long width, torch.ScalarType dtype)
    {
        long bytes = SizeInBytes(channels, height, width, dtype);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The VAE spill folder '{directory}' does not exist; it would hold a {Describe(bytes)} feature map. Create it or choose another VaeSpillDirectory.");
        }

        long free = new DriveInfo(Path.GetFullPath(directory)).AvailableFreeSpace;
        if (free < bytes)
        {
            throw new IOException($"The VAE spill folder '{directory}' has {Describe(free)} free, but a {channels}×{height}×{width} feature map needs {Describe(bytes)}. Free space, choose another VaeSpillDirectory, or use smaller images.");
        }

        string path = Path.Combine(directory, $"tsdsr-vae-{Guid.NewGuid():N}.map");
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Delete, FileOptions.DeleteOnClose);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IOException($"The VAE spill folder '{directory}' is not writable: {e.Message}", e);
        }

        if (!OperatingSystem.IsWindows())
        {
            // Unlinked now, the data lives until the handle closes; a killed process leaves no file.
            File.Delete(path);
        }

        try
        {
            RandomAccess.SetLength(handle, bytes);
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        return new DiskFeatureMap(handle, channels, height, width, dtype);
    }

    public override torch.Tensor Read(long y, long h, long x, long w)
    {
        var hwc = torch.empty(new[] { h, w, Channels }, Dtype);
        try
        {
            // Row by row: one row's span is far below the 2 GB span limit, a whole window may not be.
            for (long r = 0; r < h; r++)
            {
                using var rowTensor = hwc[r];
                var row = rowTensor.bytes;
                long offset = Offset(y + r, x);
                int done = 0;
                while (done < row.Length)
                {
                    int n = RandomAccess.Read(file, row[done..], offset + done);
                    if (n == 0)
                    {
                        throw new IOException("The VAE spill file ended early (was it truncated by another process?).");
                    }

                    done += n;
                }
            }

            // Contiguous NCHW, as an in-memory map's window: the same convolution kernels run on either storage.
            using var chw = hwc.permute(2, 0, 1);
            return chw.contiguous().unsqueeze(0);
        }
        finally
        {
            hwc.Dispose();
        }
    }

    public override void Dispose() => file.Dispose();

    protected override void Store(long y, long x, torch.Tensor tile)
    {
        using var scope = torch.NewDisposeScope();
        var hwc = tile[0].permute(1, 2, 0).to(Dtype, torch.CPU).contiguous();
        for (long r = 0; r < tile.shape[2]; r++)
        {
            using var row = hwc[r];
            RandomAccess.Write(file, row.bytes, Offset(y + r, x));
        }
    }

    private long Offset(long y, long x) => ((y * Width) + x) * pixelBytes;

    private static string Describe(long bytes) => $"{bytes / (1024.0 * 1024 * 1024):F2} GiB";
}
