using TsdSr.Models.Autoencoders.Tiling;
using TsdSr.Tests.TestSupport;

namespace TsdSr.Tests.Models.Autoencoders.Tiling;

/// <summary>
/// A spilled map stores exactly what was written (raw bytes, any dtype), returns any window, feeds the moments like an
/// in-memory map, refuses misplaced tiles and leaves no file behind.
/// </summary>
public sealed class DiskFeatureMapTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("tsdsr-spill-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.BFloat16)]
    public void Windows_read_back_exactly_what_the_tiles_wrote(ScalarType dtype)
    {
        manual_seed(5);
        using var expected = randn(1, 5, 9, 12).to(dtype);
        using var map = DiskFeatureMap.Create(folder, 5, 9, 12, dtype);
        foreach (var (y, h, x, w) in new[] { (0L, 4L, 0L, 7L), (0L, 4L, 7L, 5L), (4L, 5L, 0L, 12L) })
        {
            using var tile = expected.narrow(2, y, h).narrow(3, x, w);
            map.Write(y, x, tile);
        }

        using var all = map.ReadAll();
        all.dtype.Should().Be(dtype);
        all.equal(expected).all().item<bool>().Should().BeTrue();
        using var window = map.Read(2, 5, 3, 6);
        using var expectedWindow = expected.narrow(2, 2, 5).narrow(3, 3, 6);
        window.equal(expectedWindow).all().item<bool>().Should().BeTrue();
        window.is_contiguous().Should().BeTrue();
        map.Moments.Count.Should().Be(9 * 12);
    }

    [Fact]
    public void The_file_is_gone_while_the_map_lives_and_after_it_is_disposed()
    {
        using (var map = DiskFeatureMap.Create(folder, 4, 8, 8, ScalarType.Float32))
        {
            using var tile = ones(1, 4, 8, 8);
            map.Write(0, 0, tile);
            if (!OperatingSystem.IsWindows())
            {
                Directory.EnumerateFileSystemEntries(folder).Should().BeEmpty("the file is unlinked as soon as it is open");
            }

            using var back = map.ReadAll();
            back.sum().item<float>().Should().Be(256);
        }

        Directory.EnumerateFileSystemEntries(folder).Should().BeEmpty();
    }

    [Fact]
    public void A_missing_folder_and_a_misplaced_tile_give_specific_errors()
    {
        var missing = Path.Combine(folder, "absent");
        var create = () => DiskFeatureMap.Create(missing, 128, 4096, 4096, ScalarType.Float32);
        create.Should().Throw<DirectoryNotFoundException>().WithMessage($"*'{missing}' does not exist; it would hold a 8.00 GiB feature map*");

        using var map = DiskFeatureMap.Create(folder, 2, 4, 4, ScalarType.Float32);
        using var tile = zeros(1, 2, 3, 3);
        var outside = () => map.Write(2, 2, tile);
        outside.Should().Throw<ArgumentException>().WithMessage("Tile [1, 2, 3, 3] at (2, 2) does not fit a [2, 4, 4] map.*");
    }

    [Fact]
    public void A_map_larger_than_the_free_space_is_refused_before_anything_is_written()
    {
        long free = new DriveInfo(folder).AvailableFreeSpace;
        long height = (free / (1024L * 1024 * 4)) + 1024;
        var create = () => DiskFeatureMap.Create(folder, 1024, height, 1024, ScalarType.Float32);
        create.Should().Throw<IOException>().WithMessage($"*'{folder}' has * GiB free, but a 1024×{height}×1024 feature map needs * GiB*");
        Directory.EnumerateFileSystemEntries(folder).Should().BeEmpty();
    }

    [Fact]
    public void Storage_keeps_small_maps_in_memory_and_spills_larger_ones()
    {
        var storage = new FeatureMapStorage { MaxInMemoryBytes = 4 * 8 * 8 * 4, SpillDirectory = folder };
        using var small = storage.Create(4, 8, 8, ScalarType.Float32, CPU);
        using var large = storage.Create(4, 8, 9, ScalarType.Float32, CPU);
        small.Should().BeOfType<TensorFeatureMap>();
        large.Should().BeOfType<DiskFeatureMap>();
        FeatureMapStorage.InMemory.MaxInMemoryBytes.Should().Be(long.MaxValue);

        var negative = () => new FeatureMapStorage { MaxInMemoryBytes = -1 }.Validate();
        negative.Should().Throw<ArgumentException>().WithMessage("MaxInMemoryBytes must not be negative (got -1).");
        var blank = () => new FeatureMapStorage { SpillDirectory = " " }.Validate();
        blank.Should().Throw<ArgumentException>().WithMessage("*not blank*");
    }
}
