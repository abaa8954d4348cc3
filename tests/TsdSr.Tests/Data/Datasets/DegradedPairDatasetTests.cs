using TsdSr.Core.SafeTensors;
using TsdSr.Data.Datasets;
using TsdSr.Data.Degradation;
using TsdSr.Imaging;

namespace TsdSr.Tests.Data.Datasets;

public sealed class DegradedPairDatasetTests : IDisposable
{
    private readonly string dir = DataTestImages.TempDir();

    public DegradedPairDatasetTests()
    {
        for (int i = 0; i < 3; i++)
        {
            ImageCodec.SavePng(DataTestImages.Texture(96, 80, (ulong)i), Path.Combine(dir, "hr", $"img{i}.png"));
        }

        ImageCodec.SavePng(DataTestImages.Texture(40, 40, 9), Path.Combine(dir, "hr", "tiny.png"));
    }

    private DegradedPairDataset Create(int batch = 2, int? epochs = 1, string? prompts = null) => new(
        HrImageFolder.Scan(Path.Combine(dir, "hr")),
        new RealEsrganDegradation(DegradationConfig.OSEDiff),
        new PairDatasetOptions { BatchSize = batch, Crop = new CropOptions { Size = 64 }, Seed = 11, Epochs = epochs, PromptEmbeddingsDirectory = prompts });

    [Fact]
    public async Task One_epoch_yields_every_usable_image_in_batches_of_LR_upsampled_LR_and_HR()
    {
        var dataset = Create();
        var sizes = new List<int>();
        await foreach (var batch in dataset.GetBatchesAsync())
        {
            using (batch)
            {
                sizes.Add(batch.Count);
                batch.Lr.shape.Should().Equal(batch.Count, 3, 16, 16);
                batch.LrUpsampled.shape.Should().Equal(batch.Count, 3, 64, 64);
                batch.Hr.shape.Should().Equal(batch.Count, 3, 64, 64);
                batch.Prompts.Should().HaveCount(batch.Count).And.OnlyContain(p => p == null);
                batch.SourceFiles.Should().NotContain(f => f.EndsWith("tiny.png"));
            }
        }

        sizes.Should().Equal(2, 1);
        dataset.SkippedImages.Should().Be(1, "the 40 px image is smaller than the 64 px crop");
    }

    [Fact]
    public async Task The_batch_sequence_is_deterministic_under_a_seed()
    {
        var first = await Collect(Create(epochs: 2));
        var second = await Collect(Create(epochs: 2));
        first.Should().HaveCount(3);
        for (int i = 0; i < first.Count; i++)
        {
            second[i].Should().Equal(first[i]);
        }
    }

    [Fact]
    public async Task Prompt_embeddings_are_attached_where_a_file_exists()
    {
        var promptDir = Path.Combine(dir, "prompts");
        using (var pe = ones(5, 8))
        using (var pool = zeros(4))
        {
            SafetensorsWriter.Save(Path.Combine(promptDir, "img1.safetensors"), [new("prompt_embeds", pe), new("pool_embeds", pool)]);
        }

        int withPrompt = 0, without = 0;
        await foreach (var batch in Create(batch: 1, prompts: promptDir).GetBatchesAsync())
        {
            using (batch)
            {
                var p = batch.Prompts[0];
                if (batch.SourceFiles[0].EndsWith("img1.png"))
                {
                    p.Should().NotBeNull();
                    p!.PromptEmbeds.shape.Should().Equal(1, 5, 8);
                    p.PooledPromptEmbeds.shape.Should().Equal(1, 4);
                    withPrompt++;
                }
                else
                {
                    p.Should().BeNull();
                    without++;
                }
            }
        }

        (withPrompt, without).Should().Be((1, 2));
    }

    [Fact]
    public async Task Cancellation_stops_an_endless_enumeration()
    {
        using var cts = new CancellationTokenSource();
        int seen = 0;
        var act = async () =>
        {
            await foreach (var batch in Create(epochs: null).GetBatchesAsync(cts.Token))
            {
                batch.Dispose();
                if (++seen == 3)
                {
                    await cts.CancelAsync();
                }
            }
        };
        await act.Should().ThrowAsync<OperationCanceledException>();
        seen.Should().Be(3);
    }

    [Fact]
    public async Task A_folder_without_usable_images_is_an_error()
    {
        var only = Path.Combine(dir, "small");
        ImageCodec.SavePng(DataTestImages.Texture(30, 30, 1), Path.Combine(only, "a.png"));
        var dataset = new DegradedPairDataset(HrImageFolder.Scan(only), new RealEsrganDegradation(), new PairDatasetOptions { Crop = new CropOptions { Size = 64 } });
        var act = async () =>
        {
            await foreach (var batch in dataset.GetBatchesAsync())
            {
                batch.Dispose();
            }
        };
        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*usable 64px crop*");
    }

    [Fact]
    public async Task A_stream_started_at_a_batch_next_position_continues_with_the_same_batches()
    {
        // 3 usable images in batches of 2 over endless epochs: the restart points lie inside and across epochs.
        var straight = await Take(Create(epochs: null).GetBatchesAsync(), 5);
        for (int k = 0; k < 4; k++)
        {
            var resumed = await Take(Create(epochs: null).GetBatchesAsync(straight[k].Next), 5 - k - 1);
            for (int i = 0; i < resumed.Count; i++)
            {
                resumed[i].Bytes.Should().Equal(straight[k + 1 + i].Bytes, $"batch {k + 1 + i} after a restart at batch {k}");
                resumed[i].Next.Should().Be(straight[k + 1 + i].Next);
            }
        }

        straight.Select(b => b.Next.Sample).Should().Equal(2, 4, 6, 8, 10);
        straight[^1].Next.Epoch.Should().Be(3, "10 samples from 3 usable images reach the fourth epoch");
    }

    [Fact]
    public void Positions_round_trip_as_text_and_impossible_ones_are_rejected()
    {
        var position = new DatasetPosition(3, 2, 17);
        DatasetPosition.Parse(position.ToString()).Should().Be(position);
        DatasetPosition.Start.Should().Be(new DatasetPosition(0, 0, 0));
        foreach (var bad in new[] { "3:2", "a:1:2", "-1:0:0", "1:2:3:4", "" })
        {
            FluentActions.Invoking(() => DatasetPosition.Parse(bad)).Should().Throw<ArgumentException>().WithMessage("*epoch:position:sample*", bad);
        }

        var dataset = Create();
        FluentActions.Invoking(() => dataset.GetBatchesAsync(new DatasetPosition(0, 5, 0)))
            .Should().Throw<ArgumentException>().WithMessage("*does not fit 4 images*");
    }

    private static async Task<List<(byte[] Bytes, DatasetPosition Next)>> Take(IAsyncEnumerable<PairBatch> batches, int count)
    {
        var result = new List<(byte[], DatasetPosition)>();
        if (count == 0)
        {
            return result;
        }

        await foreach (var batch in batches)
        {
            using (batch)
            using (var bytes = cat([batch.LrUpsampled.flatten(), batch.Hr.flatten()]).mul(255).round().to(uint8))
            {
                result.Add((bytes.data<byte>().ToArray(), batch.NextPosition));
            }

            if (result.Count == count)
            {
                break;
            }
        }

        return result;
    }

    private static async Task<List<byte[]>> Collect(DegradedPairDataset dataset)
    {
        var result = new List<byte[]>();
        await foreach (var batch in dataset.GetBatchesAsync())
        {
            using (batch)
            using (var bytes = cat([batch.Lr.flatten(), batch.Hr.flatten()]).mul(255).round().to(uint8))
            {
                result.Add(bytes.data<byte>().ToArray());
            }
        }

        return result;
    }

    public void Dispose() => Directory.Delete(dir, true);
}
