using TsdSr.Data.PairFolders;
using TsdSr.Training.Data;

namespace TsdSr.Tests.Training.Data;

public sealed class PairBatchLoaderTests : IDisposable
{
    private readonly string dir = TrainingTestSupport.TempDir();

    private void WritePairs(string root, int count, bool withTensors)
    {
        var writer = new PairFolderWriter(root);
        for (int i = 0; i < count; i++)
        {
            using var gt = full(1, 3, 16, 16, i / 10f);
            using var lr = full(1, 3, 16, 16, i / 20f);
            using var latent = full(16, 2, 2, (float)i);
            using var prompt = full(1, 3, 8, (float)i);
            using var pool = full(1, 6, (float)i);
            if (withTensors)
            {
                writer.Write(i * 3, gt, lr, latentHr: latent, promptEmbeds: prompt, poolEmbeds: pool);
            }
            else
            {
                writer.Write(i * 3, gt, lr);
            }
        }
    }

    private static List<float> Take(PairBatchLoader loader, int batches)
    {
        var seen = new List<float>();
        for (int b = 0; b < batches; b++)
        {
            using var batch = loader.Next();
            seen.AddRange(Enumerable.Range(0, batch.Count).Select(i => batch.LatentHr![i, 0, 0, 0].item<float>()));
        }

        return seen;
    }

    [Fact]
    public void Batches_stack_images_and_tensors_and_cover_each_epoch_once()
    {
        WritePairs(dir, 5, withTensors: true);
        var loader = PairBatchLoader.Open([dir], 2, seed: 1);
        using (var batch = loader.Next())
        {
            batch.Gt.shape.Should().Equal(2, 3, 16, 16);
            batch.LrBicubic.shape.Should().Equal(2, 3, 16, 16);
            batch.LatentHr!.shape.Should().Equal(2, 16, 2, 2);
            batch.PromptEmbeds!.shape.Should().Equal(2, 3, 8);
            batch.PoolEmbeds!.shape.Should().Equal(2, 6);
            batch.Ids.Should().OnlyContain(id => id.StartsWith(dir, StringComparison.Ordinal));
        }

        var rest = Take(loader, 2);
        rest.Should().HaveCount(3, "the last batch of the epoch is smaller");
        loader.Epoch.Should().Be(0);
        var epoch1 = Take(loader, 3);
        loader.Epoch.Should().Be(1);
        epoch1.Order().Should().Equal(0f, 1f, 2f, 3f, 4f);
    }

    [Fact]
    public void The_same_seed_and_a_restored_position_give_the_same_stream()
    {
        WritePairs(dir, 6, withTensors: true);
        var a = PairBatchLoader.Open([dir], 2, seed: 9);
        var b = PairBatchLoader.Open([dir], 2, seed: 9);
        Take(a, 4).Should().Equal(Take(b, 4));
        var state = a.State;
        var expected = Take(a, 3);
        var resumed = PairBatchLoader.Open([dir], 2, seed: 9);
        resumed.State = state;
        Take(resumed, 3).Should().Equal(expected);
    }

    [Fact]
    public void Folders_without_tensors_give_batches_without_them()
    {
        WritePairs(dir, 2, withTensors: false);
        using var batch = PairBatchLoader.Open([dir], 2, seed: 1, shuffle: false).Next();
        batch.LatentHr.Should().BeNull();
        batch.PromptEmbeds.Should().BeNull();
        batch.Gt[1, 0, 0, 0].item<float>().Should().BeApproximately(0.1f, 1e-2f);
    }

    [Fact]
    public void An_incomplete_folder_is_reported_by_the_pair_reader()
    {
        WritePairs(dir, 3, withTensors: false);
        File.Delete(Directory.GetFiles(Path.Combine(dir, PairFolderLayout.LrBicubic))[1]);
        FluentActions.Invoking(() => PairBatchLoader.Open([dir], 2, seed: 1))
            .Should().Throw<PairFolderException>().WithMessage("*lr_bicubic*missing*");
    }

    [Fact]
    public void A_bad_position_is_rejected()
    {
        WritePairs(dir, 2, withTensors: false);
        var loader = PairBatchLoader.Open([dir], 1, seed: 1);
        FluentActions.Invoking(() => loader.State = "0:9").Should().Throw<ArgumentException>();
    }

    public void Dispose() => TrainingTestSupport.DeleteDir(dir);
}
