using TsdSr.Data.Datasets;
using TsdSr.Data.Degradation;
using TsdSr.Data.Runner;
using TsdSr.Tests.TestSupport;
using TsdSr.Training.Data;

namespace TsdSr.Tests.Training.Data;

public sealed class DegradedBatchSourceTests : IDisposable
{
    private readonly string dir = TrainingTestSupport.TempDir();

    public DegradedBatchSourceTests()
    {
        // Three real photos (512², RealSR): enough for epochs to wrap inside a batch of 2.
        HrFolder = Path.Combine(dir, "hr");
        Directory.CreateDirectory(HrFolder);
        var source = Path.Combine(AppContext.BaseDirectory, "data", "realsr_subset", "hr");
        foreach (var file in Directory.GetFiles(source, "*.png").Order(StringComparer.Ordinal).Take(3))
        {
            File.Copy(file, Path.Combine(HrFolder, Path.GetFileName(file)));
        }
    }

    private string HrFolder { get; }

    public void Dispose() => TrainingTestSupport.DeleteDir(dir);

    private DegradedBatchSource Source(int batch, bool shuffle, DegradationConfig? degradation = null) => new(new DegradedPairDataset(
        HrImageFolder.Scan(HrFolder),
        new RealEsrganDegradation(degradation ?? DegradationConfig.SeeSR),
        new PairDatasetOptions { BatchSize = batch, Crop = new CropOptions { Size = 64 }, Seed = 5, Shuffle = shuffle }));

    [Fact]
    public async Task Online_batches_equal_the_pairs_tsdsr_degrade_writes_and_the_pair_loader_reads_back()
    {
        // Batch 1 without shuffling: sample k is pair k of `tsdsr degrade` under the same seed, preset and crop.
        var pairs = Path.Combine(dir, "pairs");
        var written = await DegradeRunner.RunAsync(new DegradeOptions { Input = HrFolder, Output = pairs, Config = DegradationConfig.SeeSR, CropSize = 64, Seed = 5 });
        written.PairsWritten.Should().Be(3);
        var offline = PairBatchLoader.Open([pairs], 1, seed: 5, shuffle: false);
        using var online = Source(batch: 1, shuffle: false);

        for (int k = 0; k < 3; k++)
        {
            using var expected = offline.Next();
            using var actual = online.Next();
            TrainingTestSupport.ExactlyEqual(actual.Gt, expected.Gt).Should().BeTrue($"gt of pair {k}");
            TrainingTestSupport.ExactlyEqual(actual.LrBicubic, expected.LrBicubic).Should().BeTrue($"lr_bicubic of pair {k}");
            (actual.LatentHr, actual.PromptEmbeds, actual.PoolEmbeds).Should().Be((null, null, null));
            actual.Ids.Should().ContainSingle().Which.Should().EndWith($"#{k}");
        }
    }

    [Fact]
    public void A_restored_state_continues_with_the_batches_of_the_uninterrupted_stream()
    {
        using var straight = Source(batch: 2, shuffle: true);
        var states = new List<string>();
        var batches = new List<float[]>();
        for (int i = 0; i < 4; i++)
        {
            using var b = straight.Next();
            b.Gt.shape.Should().Equal(2, 3, 64, 64);
            b.LrBicubic.shape.Should().Equal(2, 3, 64, 64);
            states.Add(straight.State);
            batches.Add([.. b.Gt.data<float>(), .. b.LrBicubic.data<float>()]);
        }

        // Restart after batch 1 (the second epoch begins inside batch 1), in a fresh source and in the used one.
        using var fresh = Source(batch: 2, shuffle: true);
        fresh.State = states[0];
        straight.State = states[0];
        foreach (var source in new[] { fresh, straight })
        {
            for (int i = 1; i < 4; i++)
            {
                using var b = source.Next();
                b.Gt.data<float>().Concat(b.LrBicubic.data<float>()).Should().Equal(batches[i], $"batch {i}");
                source.State.Should().Be(states[i]);
            }
        }
    }

    [Fact]
    public void States_of_another_source_kind_or_beyond_the_images_are_rejected()
    {
        using var source = Source(batch: 2, shuffle: true);
        source.Invoking(s => s.State = "1:2").Should().Throw<ArgumentException>().WithMessage("*epoch:position:sample*");
        source.Invoking(s => s.State = "0:4:0").Should().Throw<ArgumentException>().WithMessage("*does not fit 3 images*");
        source.State.Should().Be(DatasetPosition.Start.ToString(), "a rejected state changes nothing");
    }

    [Fact]
    public void The_conversion_rounds_to_8_bits_and_leaves_no_tensor_behind()
    {
        LeakCheck.NoLiveTensorsAfter(() =>
        {
            using var pair = new PairBatch(zeros(1, 3, 4, 4), full(1, 3, 16, 16, 0.5f), full(1, 3, 16, 16, 0.3001f), [null], ["a.png"], 7);
            using var batch = DegradedBatchSource.ToTrainingBatch(pair);
            using var gtMax = batch.Gt.max();
            using var lrMin = batch.LrBicubic.min();
            gtMax.item<float>().Should().Be(77f / 255f, "0.3001 · 255 = 76.53 rounds to 77");
            lrMin.item<float>().Should().Be(128f / 255f, "127.5 rounds half to even");
            batch.Ids.Should().Equal("a.png#7");
        });
    }
}
